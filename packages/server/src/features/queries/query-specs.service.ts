import { ErrorCode, type QuerySpec } from '@fleet/api'
import { authorize } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { publish } from '../../platform/pubsub/index.js'
import { recordActivity } from '../activities/index.js'
import { teamIdByName, teamNames } from '../teams/index.js'
import { queryChangesOf, reportInvalidated, type SavedQuery } from './query.js'
import { QUERIES_CHANGED } from './queries.channels.js'
import { deleteReport } from './query-results.store.js'
import type { QueryDeps } from './queries.service.js'
import * as store from './queries.store.js'

/** A query as a spec, with its team's name ('' for global). */
export interface SpecOfQuery {
  query: SavedQuery
  team: string
}

/**
 * `fleetctl apply` of query specs: each spec creates the query named so in its team (`team` is
 * the team's name, empty for global) or replaces that query's fields. Every team is resolved and
 * authorized before anything is written; all specs apply in one transaction.
 */
export async function applyQuerySpecs(
  deps: QueryDeps,
  ctx: RequestCtx,
  specs: readonly QuerySpec[],
): Promise<void> {
  const prepared: { spec: QuerySpec; teamId: number | null }[] = []
  for (const [index, spec] of specs.entries()) {
    const teamId =
      spec.team === '' ? null : await teamIdByName(deps.db, spec.team, { ignoreCase: false })
    if (teamId === undefined) {
      authorize(ctx.authz, { type: 'query', teamId: null }, 'write')
      throw InvalidArgumentError.field(`specs.${index}.team`, `team "${spec.team}" does not exist`)
    }
    authorize(ctx.authz, { type: 'query', teamId }, 'write')
    prepared.push({ spec, teamId })
  }
  const now = deps.clock.now().getTime()
  await deps.db.transaction().execute(async (trx) => {
    for (const { spec, teamId } of prepared) {
      const changes = queryChangesOf(spec)
      const existing = await store.findQueryByName(trx, teamId, spec.name)
      if (!existing) {
        await store.insertQuery(trx, { ...changes, teamId, authorId: ctx.actor?.id ?? null }, now)
        continue
      }
      await store.updateQuery(trx, existing.id, changes, now)
      if (reportInvalidated(existing, changes)) {
        await deleteReport(trx, existing.id)
      }
    }
    await recordActivity(trx, deps.clock, ctx, {
      type: 'applied_spec_saved_query',
      details: { specs },
    })
  })
  await publish(deps.pubsub, QUERIES_CHANGED, null)
}

/** Every query of a team (null: the global ones) as specs. */
export async function querySpecs(
  deps: QueryDeps,
  ctx: RequestCtx,
  teamId: number | null,
): Promise<SpecOfQuery[]> {
  authorize(ctx.authz, { type: 'query', teamId }, 'read')
  const team = await teamNameOrEmpty(deps, teamId)
  const queries = await store.listQueries(deps.db, {
    teamId,
    includeGlobal: false,
    orderKey: 'name',
    direction: 'asc',
    offset: 0,
  })
  return queries.map((query) => ({ query, team }))
}

/** One query of a team (null: global) as a spec. */
export async function querySpec(
  deps: QueryDeps,
  ctx: RequestCtx,
  teamId: number | null,
  name: string,
): Promise<SpecOfQuery> {
  authorize(ctx.authz, { type: 'query', teamId }, 'read')
  const query = await store.findQueryByName(deps.db, teamId, name)
  if (!query) {
    throw new NotFoundError(`query "${name}"`, ErrorCode.QUERY_NOT_FOUND)
  }
  return { query, team: await teamNameOrEmpty(deps, teamId) }
}

async function teamNameOrEmpty(deps: QueryDeps, teamId: number | null): Promise<string> {
  return teamId === null ? '' : ((await teamNames(deps.db, [teamId])).get(teamId) ?? '')
}
