import {
  ErrorCode,
  listWindow,
  type CreateQueryRequest,
  type EndpointRequest,
  type listQueries as listQueriesEndpoint,
  type ModifyQueryRequest,
} from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { authorize, type Subject } from '../../platform/authz/index.js'
import { isUniqueViolation } from '../../platform/db/index.js'
import { AlreadyExistsError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { publish } from '../../platform/pubsub/index.js'
import { recordActivity } from '../activities/index.js'
import { teamNames } from '../teams/index.js'
import { queryChangesOf, reportInvalidated, type SavedQuery } from './query.js'
import { QUERIES_CHANGED } from './queries.channels.js'
import { deleteReport } from './query-results.store.js'
import * as store from './queries.store.js'

export type QueryDeps = Pick<Deps, 'db' | 'clock' | 'pubsub'>

async function changed(deps: QueryDeps): Promise<void> {
  await publish(deps.pubsub, QUERIES_CHANGED, null)
}

function nameTaken(err: unknown): never {
  if (isUniqueViolation(err)) {
    throw new AlreadyExistsError(
      'name',
      'a query with this name already exists in its team',
      ErrorCode.QUERY_NAME_EXISTS,
    )
  }
  throw err
}

async function mustFind(db: Db, id: number): Promise<SavedQuery> {
  const query = await store.findQuery(db, id)
  if (!query) {
    throw new NotFoundError(`query ${id}`, ErrorCode.QUERY_NOT_FOUND)
  }
  return query
}

async function teamName(db: Db, teamId: number | null): Promise<string | null> {
  if (teamId === null) {
    return null
  }
  const name = (await teamNames(db, [teamId])).get(teamId)
  if (name === undefined) {
    throw new NotFoundError(`team ${teamId}`, ErrorCode.TEAM_NOT_FOUND)
  }
  return name
}

/**
 * Fleet lists only `observer_can_run` queries to observers: global observers, and team observers
 * listing that team's queries (observer_plus sees everything it can read).
 */
function seesOnlyObserverQueries(subject: Subject, teamId: number | null): boolean {
  if (subject.globalRole !== null) {
    return subject.globalRole === 'observer'
  }
  return teamId !== null && subject.teamRoles.get(teamId) === 'observer'
}

export async function listQueries(
  deps: QueryDeps,
  ctx: RequestCtx,
  query: EndpointRequest<typeof listQueriesEndpoint>['query'],
): Promise<{ queries: SavedQuery[]; count: number; hasNext: boolean }> {
  const teamId = query.team_id ?? null
  const subject = authorize(ctx.authz, { type: 'query', teamId }, 'read')
  const { perPage, offset } = listWindow(query)
  const options: store.QueryListOptions = {
    teamId,
    includeGlobal: teamId !== null && query.merge_inherited,
    nameContains: query.query,
    onlyObserverCanRun: seesOnlyObserverQueries(subject, teamId),
    orderKey: query.order_key ?? 'name',
    direction: query.order_direction,
    offset,
    limit: perPage === undefined ? undefined : perPage + 1,
  }
  const rows = await store.listQueries(deps.db, options)
  const hasNext = perPage !== undefined && rows.length > perPage
  return {
    queries: hasNext ? rows.slice(0, perPage) : rows,
    count: await store.countQueries(deps.db, options),
    hasNext,
  }
}

export async function getQuery(deps: QueryDeps, ctx: RequestCtx, id: number): Promise<SavedQuery> {
  const query = await store.findQuery(deps.db, id)
  authorize(ctx.authz, { type: 'query', teamId: query?.teamId ?? null }, 'read')
  if (!query) {
    throw new NotFoundError(`query ${id}`, ErrorCode.QUERY_NOT_FOUND)
  }
  return query
}

export async function createQuery(
  deps: QueryDeps,
  ctx: RequestCtx,
  input: CreateQueryRequest,
): Promise<SavedQuery> {
  authorize(ctx.authz, { type: 'query', teamId: input.team_id }, 'write')
  const team = await teamName(deps.db, input.team_id)
  const now = deps.clock.now().getTime()
  const created = await deps.db
    .transaction()
    .execute(async (trx) => {
      const id = await store.insertQuery(
        trx,
        { ...queryChangesOf(input), teamId: input.team_id, authorId: ctx.actor?.id ?? null },
        now,
      )
      await recordActivity(trx, deps.clock, ctx, {
        type: 'created_saved_query',
        details: { query_id: id, query_name: input.name, team_id: input.team_id, team_name: team },
      })
      return mustFind(trx, id)
    })
    .catch(nameTaken)
  await changed(deps)
  return created
}

export async function modifyQuery(
  deps: QueryDeps,
  ctx: RequestCtx,
  id: number,
  input: ModifyQueryRequest,
): Promise<SavedQuery> {
  const before = await store.findQuery(deps.db, id)
  authorize(ctx.authz, { type: 'query', teamId: before?.teamId ?? null }, 'write')
  if (!before) {
    throw new NotFoundError(`query ${id}`, ErrorCode.QUERY_NOT_FOUND)
  }
  const team = await teamName(deps.db, before.teamId)
  const changes = queryChangesOf(input)
  const now = deps.clock.now().getTime()
  const updated = await deps.db
    .transaction()
    .execute(async (trx) => {
      await store.updateQuery(trx, id, changes, now)
      const after = await mustFind(trx, id)
      if (reportInvalidated(before, after)) {
        await deleteReport(trx, id)
      }
      await recordActivity(trx, deps.clock, ctx, {
        type: 'edited_saved_query',
        details: { query_id: id, query_name: after.name, team_id: after.teamId, team_name: team },
      })
      return after
    })
    .catch(nameTaken)
  await changed(deps)
  return updated
}

async function deleteOne(deps: QueryDeps, ctx: RequestCtx, query: SavedQuery): Promise<void> {
  const team = await teamName(deps.db, query.teamId).catch(() => null)
  await deps.db.transaction().execute(async (trx) => {
    await store.deleteQueries(trx, [query.id])
    await recordActivity(trx, deps.clock, ctx, {
      type: 'deleted_saved_query',
      details: { query_name: query.name, team_id: query.teamId, team_name: team },
    })
  })
  await changed(deps)
}

export async function deleteQueryByName(
  deps: QueryDeps,
  ctx: RequestCtx,
  teamId: number | null,
  name: string,
): Promise<void> {
  authorize(ctx.authz, { type: 'query', teamId }, 'write')
  const query = await store.findQueryByName(deps.db, teamId, name)
  if (!query) {
    throw new NotFoundError(`query "${name}"`, ErrorCode.QUERY_NOT_FOUND)
  }
  await deleteOne(deps, ctx, query)
}

export async function deleteQueryById(deps: QueryDeps, ctx: RequestCtx, id: number): Promise<void> {
  const query = await store.findQuery(deps.db, id)
  authorize(ctx.authz, { type: 'query', teamId: query?.teamId ?? null }, 'write')
  if (!query) {
    throw new NotFoundError(`query ${id}`, ErrorCode.QUERY_NOT_FOUND)
  }
  await deleteOne(deps, ctx, query)
}

/** Deletes every query in `ids`, or none: a missing or forbidden one fails the whole request. */
export async function deleteQueries(
  deps: QueryDeps,
  ctx: RequestCtx,
  ids: readonly number[],
): Promise<number> {
  const unique = [...new Set(ids)]
  const found = await store.queriesByIds(deps.db, unique)
  for (const query of found) {
    authorize(ctx.authz, { type: 'query', teamId: query.teamId }, 'write')
  }
  const missing = unique.filter((id) => !found.some((q) => q.id === id))
  if (missing.length > 0) {
    authorize(ctx.authz, { type: 'query', teamId: null }, 'write')
    throw new NotFoundError(`query ${missing.slice(0, 10).join(', ')}`, ErrorCode.QUERY_NOT_FOUND)
  }
  const deleted = await deps.db.transaction().execute(async (trx) => {
    const count = await store.deleteQueries(trx, unique)
    await recordActivity(trx, deps.clock, ctx, {
      type: 'deleted_multiple_saved_query',
      details: { query_ids: unique },
    })
    return count
  })
  await changed(deps)
  return deleted
}
