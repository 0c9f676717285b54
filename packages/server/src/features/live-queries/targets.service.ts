import { ErrorCode, MAX_HOST_SEARCH_RESULTS, type TargetMetrics } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { searchHosts as findHosts, type Host } from '../hosts/index.js'
import { targetableTeams, targetMetrics, type SavedQuerySource } from './live-query.js'
import * as store from './live-queries.store.js'

type TargetDeps = Pick<Deps, 'db' | 'clock'> & { savedQueries: SavedQuerySource }

/**
 * The teams whose hosts the caller may target: observers only for a saved query that lets them
 * run it, as Fleet's target pickers (TeamFilter.IncludeObserver).
 */
async function targetScope(
  deps: TargetDeps,
  ctx: RequestCtx,
  queryId: number | null | undefined,
): Promise<store.TeamScope> {
  const subject = authorize(ctx.authz, { type: 'host' }, 'list')
  let observerCanRun = false
  if (queryId !== undefined && queryId !== null) {
    const saved = await deps.savedQueries.find(queryId)
    if (!saved) {
      throw new NotFoundError('query', ErrorCode.QUERY_NOT_FOUND)
    }
    observerCanRun = saved.observerCanRun
  }
  return targetableTeams(subject, observerCanRun)
}

/** `POST /hosts/search`: hosts matching a text within the caller's targetable teams. */
export async function searchHosts(
  deps: TargetDeps,
  ctx: RequestCtx,
  input: {
    query?: string | null | undefined
    query_id?: number | null | undefined
    excluded_host_ids?: readonly number[] | null | undefined
  },
): Promise<Host[]> {
  const scope = await targetScope(deps, ctx, input.query_id)
  return findHosts(deps.db, {
    text: (input.query ?? '').trim(),
    scope,
    excludedIds: input.excluded_host_ids ?? [],
    now: deps.clock.now().getTime(),
    limit: MAX_HOST_SEARCH_RESULTS,
  })
}

/** `POST /targets/count`: what a selection reaches, resolved as a live query would be. */
export async function countTargets(
  deps: TargetDeps,
  ctx: RequestCtx,
  input: {
    query_id?: number | null | undefined
    selected: { hosts: number[]; labels: number[]; teams: number[] }
  },
): Promise<TargetMetrics> {
  const scope = await targetScope(deps, ctx, input.query_id)
  const { hosts, labels, teams } = input.selected
  const found = await store.labelsByIds(deps.db, labels)
  const hostIds = await store.resolveTargets(
    deps.db,
    {
      hostIds: hosts,
      labelIds: labels,
      allHosts: found.some((label) => label.builtin && label.name === 'All Hosts'),
      teamIds: teams,
    },
    scope,
  )
  return targetMetrics(await store.targetHosts(deps.db, hostIds), deps.clock.now().getTime())
}
