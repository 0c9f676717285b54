import { z } from 'zod'
import { defineChannel } from '../../platform/pubsub/index.js'

/**
 * Published after hosts changed (enroll, ingest, refetch, transfer, delete) by the instance
 * `from`; the other instances drop those hosts from their node-key cache.
 */
export const AGENT_HOSTS_CHANGED = defineChannel(
  'agent_hosts_changed',
  z.object({ from: z.string(), hostIds: z.array(z.number().int()) }),
)

/**
 * New refresh times recorded by the instance `from` (`set`), or hosts whose times start over
 * because they enrolled again (`reset`); every other instance applies them in memory.
 */
export const AGENT_REFRESH_TIMES = defineChannel(
  'agent_refresh_times',
  z.object({
    from: z.string(),
    set: z
      .array(
        z.object({
          hostId: z.number().int(),
          provider: z.string(),
          since: z.number(),
          refreshedAt: z.number(),
        }),
      )
      .optional(),
    reset: z.array(z.number().int()).optional(),
  }),
)
