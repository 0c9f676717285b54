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
