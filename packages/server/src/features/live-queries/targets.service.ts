import { ErrorCode, MAX_HOST_SEARCH_RESULTS, type TargetMetrics } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { searchHosts as findHosts, type Host } from '../hosts/index.js'
import { targetableTeams, targetMetrics, type SavedQuerySource } from './live-query.js'
import * as store from './live-queries.store.js'
import * as targetStore from './targets.store.js'
import type { LabelTarget, TeamTarget } from './targets.store.js'

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

type Selected = { hosts: number[]; labels: number[]; teams: number[] }

/** `POST /targets/count`: what a selection reaches, resolved as a live query would be. */
export async function countTargets(
  deps: TargetDeps,
  ctx: RequestCtx,
  input: { query_id?: number | null | undefined; selected: Selected },
): Promise<TargetMetrics> {
  return metricsOf(deps, await targetScope(deps, ctx, input.query_id), input.selected)
}

/** What Fleet UI's target picker offers for a text, and what the selection reaches. */
export interface TargetSearch {
  hosts: Host[]
  labels: LabelTarget[]
  teams: TeamTarget[]
  metrics: TargetMetrics
}

/**
 * `POST /targets`: hosts, labels and teams matching `query` within the caller's targetable teams
 * (those already selected left out, at most 10 of each kind), and the selection's metrics.
 */
export async function searchTargets(
  deps: TargetDeps,
  ctx: RequestCtx,
  input: {
    query?: string | null | undefined
    query_id?: number | null | undefined
    selected: Selected
  },
): Promise<TargetSearch> {
  const scope = await targetScope(deps, ctx, input.query_id)
  const text = (input.query ?? '').trim()
  const { selected } = input
  const search = { text, scope, limit: MAX_HOST_SEARCH_RESULTS }
  const hosts = await findHosts(deps.db, {
    ...search,
    excludedIds: selected.hosts,
    now: deps.clock.now().getTime(),
  })
  // Observers with no query to run reach no team: they are offered no labels either.
  const none = scope !== 'all' && scope.length === 0
  const labels = none
    ? []
    : await targetStore.searchLabelTargets(deps.db, { ...search, excludedIds: selected.labels })
  const teams = await targetStore.searchTeamTargets(deps.db, {
    ...search,
    excludedIds: selected.teams,
  })
  return { hosts, labels, teams, metrics: await metricsOf(deps, scope, selected) }
}

async function metricsOf(
  deps: TargetDeps,
  scope: store.TeamScope,
  selected: Selected,
): Promise<TargetMetrics> {
  const { hosts, labels, teams } = selected
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
