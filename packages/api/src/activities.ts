import { z } from 'zod'
import { IdParams, ListMeta, ListQuery, Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'

export const Activity = z
  .object({
    id: z.number().int(),
    created_at: Timestamp,
    actor_full_name: z.string().nullable(),
    actor_id: z.number().int().nullable(),
    actor_gravatar: z.string().nullable(),
    actor_email: z.string().nullable(),
    type: z.string(),
    fleet_initiated: z.boolean(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'Activity' })
export type Activity = z.infer<typeof Activity>

export const listActivities = defineEndpoint({
  method: 'GET',
  path: '/activities',
  mount: 'fleet',
  tag: 'Activities',
  summary: 'The audit log, newest first by default',
  auth: 'user',
  query: ListQuery.extend({
    order_key: z.enum(['id', 'created_at', 'type']).optional(),
    activity_type: z.string().max(128).optional(),
  }),
  response: z.object({ activities: z.array(Activity), meta: ListMeta }),
})

/**
 * A host's past activities (Fleet's host page "Activity" tab), newest first: those whose details
 * name the host, and its enrollment.
 */
export const listHostPastActivities = defineEndpoint({
  method: 'GET',
  path: '/hosts/:id/activities',
  mount: 'fleet',
  tag: 'Activities',
  summary: "A host's past activities, newest first",
  auth: 'user',
  params: IdParams,
  query: ListQuery.pick({ page: true, per_page: true }),
  response: z.object({ activities: z.array(Activity), meta: ListMeta }),
})
