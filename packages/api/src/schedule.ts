import { z } from 'zod'
import { IdParams, ListQuery } from './common.js'
import { SINCE_2022_04, V1_ONLY, defineEndpoint, type Endpoint } from './contract.js'
import { ModifyScheduledQueryRequest, ScheduledQuery } from './packs.js'

/**
 * The global and team schedule (deprecated in Fleet, still routed): saved queries with an
 * interval, shown as Fleet's `ScheduledQuery`. Adding one copies a query (`Copy of <name>
 * (<unix time>)`) with the given interval and logging, as Fleet does.
 */

/** Fleet's body: the query to copy and how to schedule it (snapshot + removed → logging). */
export const AddToScheduleRequest = ModifyScheduledQueryRequest.extend({
  query_id: z.number().int().positive(),
  interval: ModifyScheduledQueryRequest.shape.interval.unwrap(),
})
export type AddToScheduleRequest = z.output<typeof AddToScheduleRequest>

const ScheduledResponse = z.object({ scheduled: ScheduledQuery })
const TeamScheduleParams = z.object({
  id: z.coerce.number().int().positive(),
  scheduled_query_id: z.coerce.number().int().positive(),
})

/** The v1 twin of a 2022-04 endpoint: Fleet's `/global/schedule` before it became `/schedule`. */
function v1<const E extends Endpoint>(endpoint: E, path: string) {
  return { ...endpoint, path, summary: `${endpoint.summary} (v1 path)`, versions: V1_ONLY }
}

export const getGlobalSchedule = defineEndpoint({
  method: 'GET',
  path: '/schedule',
  mount: 'fleet',
  tag: 'Schedule',
  summary: 'Global queries with an interval (deprecated)',
  auth: 'user',
  versions: SINCE_2022_04,
  query: ListQuery,
  response: z.object({ global_schedule: z.array(ScheduledQuery) }),
})
export const getGlobalScheduleV1 = defineEndpoint(v1(getGlobalSchedule, '/global/schedule'))

export const addToGlobalSchedule = defineEndpoint({
  method: 'POST',
  path: '/schedule',
  mount: 'fleet',
  tag: 'Schedule',
  summary: 'Schedule a copy of a global query (deprecated)',
  auth: 'user',
  versions: SINCE_2022_04,
  body: AddToScheduleRequest,
  response: ScheduledResponse,
})
export const addToGlobalScheduleV1 = defineEndpoint(v1(addToGlobalSchedule, '/global/schedule'))

export const modifyGlobalSchedule = defineEndpoint({
  method: 'PATCH',
  path: '/schedule/:id',
  mount: 'fleet',
  tag: 'Schedule',
  summary: "Change a global query's schedule (deprecated)",
  auth: 'user',
  versions: SINCE_2022_04,
  params: IdParams,
  body: ModifyScheduledQueryRequest,
  response: ScheduledResponse,
})
export const modifyGlobalScheduleV1 = defineEndpoint(
  v1(modifyGlobalSchedule, '/global/schedule/:id'),
)

export const deleteGlobalSchedule = defineEndpoint({
  method: 'DELETE',
  path: '/schedule/:id',
  mount: 'fleet',
  tag: 'Schedule',
  summary: 'Delete a scheduled global query (deprecated; deletes the query)',
  auth: 'user',
  versions: SINCE_2022_04,
  params: IdParams,
  response: z.object({}),
})
export const deleteGlobalScheduleV1 = defineEndpoint(
  v1(deleteGlobalSchedule, '/global/schedule/:id'),
)

export const getTeamSchedule = defineEndpoint({
  method: 'GET',
  path: '/teams/:id/schedule',
  altPaths: ['/team/:id/schedule'],
  mount: 'fleet',
  tag: 'Schedule',
  summary: "A team's queries with an interval (deprecated)",
  auth: 'user',
  params: IdParams,
  query: ListQuery,
  response: z.object({ scheduled: z.array(ScheduledQuery) }),
})

export const addToTeamSchedule = defineEndpoint({
  method: 'POST',
  path: '/teams/:id/schedule',
  altPaths: ['/team/:id/schedule'],
  mount: 'fleet',
  tag: 'Schedule',
  summary: "Schedule a copy of a global or the team's query for the team (deprecated)",
  auth: 'user',
  params: IdParams,
  body: AddToScheduleRequest,
  response: ScheduledResponse,
})

export const modifyTeamSchedule = defineEndpoint({
  method: 'PATCH',
  path: '/teams/:id/schedule/:scheduled_query_id',
  altPaths: ['/team/:id/schedule/:scheduled_query_id'],
  mount: 'fleet',
  tag: 'Schedule',
  summary: "Change a team query's schedule (deprecated)",
  auth: 'user',
  params: TeamScheduleParams,
  body: ModifyScheduledQueryRequest,
  response: ScheduledResponse,
})

export const deleteTeamSchedule = defineEndpoint({
  method: 'DELETE',
  path: '/teams/:id/schedule/:scheduled_query_id',
  altPaths: ['/team/:id/schedule/:scheduled_query_id'],
  mount: 'fleet',
  tag: 'Schedule',
  summary: 'Delete a scheduled team query (deprecated; deletes the query)',
  auth: 'user',
  params: TeamScheduleParams,
  response: z.object({}),
})
