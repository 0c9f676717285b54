import {
  ErrorCode,
  listWindow,
  type AddToScheduleRequest,
  type ListQuery,
  type ModifyScheduledQueryRequest,
  type QueryLogging,
} from '@fleet/api'
import { authorize } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import type { SavedQuery } from './query.js'
import * as service from './queries.service.js'
import * as store from './queries.store.js'

/**
 * Fleet's deprecated global and team schedule, over saved queries: the schedule of an owner
 * (`teamId` null: global) is its queries with an interval. As in Fleet, adding copies a query,
 * and changes and deletions go through the query service (its authorization, activities and
 * QUERIES_CHANGED).
 */

/** Fleet changes logging only when both `snapshot` and `removed` are given. */
function loggingOf(input: {
  snapshot?: boolean | null | undefined
  removed?: boolean | null | undefined
}): QueryLogging | undefined {
  const { snapshot, removed } = input
  if (snapshot === undefined || snapshot === null || removed === undefined || removed === null) {
    return undefined
  }
  return snapshot ? 'snapshot' : removed ? 'differential' : 'differential_ignore_removals'
}

export async function listSchedule(
  deps: service.QueryDeps,
  ctx: RequestCtx,
  teamId: number | null,
  query: ListQuery,
): Promise<SavedQuery[]> {
  authorize(ctx.authz, { type: 'query', teamId }, 'read')
  const { perPage, offset } = listWindow(query)
  return store.listQueries(deps.db, {
    teamId,
    includeGlobal: false,
    onlyScheduled: true,
    orderKey: 'name',
    direction: query.order_direction ?? 'asc',
    offset,
    limit: perPage,
  })
}

/** Copies a query into the owner's schedule as `Copy of <name> (<unix time>)`. */
export async function addToSchedule(
  deps: service.QueryDeps,
  ctx: RequestCtx,
  teamId: number | null,
  input: AddToScheduleRequest,
): Promise<SavedQuery> {
  authorize(ctx.authz, { type: 'query', teamId }, 'write')
  const original = await store.findQuery(deps.db, input.query_id)
  if (!original) {
    throw new NotFoundError(`query ${input.query_id}`, ErrorCode.QUERY_NOT_FOUND)
  }
  if (original.teamId !== null && original.teamId !== teamId) {
    throw InvalidArgumentError.field(
      'query_id',
      teamId === null
        ? 'cannot create a global schedule from a team query'
        : "cannot schedule another team's query",
    )
  }
  const seconds = Math.floor(deps.clock.now().getTime() / 1000)
  return service.createQuery(deps, ctx, {
    name: `Copy of ${original.name} (${seconds})`,
    description: original.description,
    query: original.query,
    team_id: teamId,
    observer_can_run: original.observerCanRun,
    interval: input.interval,
    platform: input.platform ?? original.platform,
    min_osquery_version: input.version ?? original.minOsqueryVersion,
    automations_enabled: true,
    logging: loggingOf(input) ?? 'snapshot',
    discard_data: false,
  })
}

/** The owner's query `id`, or 404: the path's scope is checked, not only the query's own team. */
async function inSchedule(
  deps: service.QueryDeps,
  ctx: RequestCtx,
  teamId: number | null,
  id: number,
): Promise<SavedQuery> {
  authorize(ctx.authz, { type: 'query', teamId }, 'write')
  const query = await store.findQuery(deps.db, id)
  if (!query || query.teamId !== teamId) {
    throw new NotFoundError(`scheduled query ${id}`, ErrorCode.QUERY_NOT_FOUND)
  }
  return query
}

export async function modifySchedule(
  deps: service.QueryDeps,
  ctx: RequestCtx,
  teamId: number | null,
  id: number,
  input: ModifyScheduledQueryRequest,
): Promise<SavedQuery> {
  await inSchedule(deps, ctx, teamId, id)
  return service.modifyQuery(deps, ctx, id, {
    interval: input.interval,
    platform: input.platform ?? undefined,
    min_osquery_version: input.version ?? undefined,
    logging: loggingOf(input),
  })
}

export async function deleteFromSchedule(
  deps: service.QueryDeps,
  ctx: RequestCtx,
  teamId: number | null,
  id: number,
): Promise<void> {
  await inSchedule(deps, ctx, teamId, id)
  await service.deleteQueryById(deps, ctx, id)
}
