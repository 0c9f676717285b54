import type { HostQueryResponse, LiveQueryHostResult } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { ForbiddenError, InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import type { Unsubscribe } from '../../platform/pubsub/index.js'
import { hostStatus } from '../hosts/index.js'
import { subscribeAnswers } from './campaign-results.js'
import { authorizeLiveQueries, type CampaignService, type QueryToRun } from './campaigns.service.js'
import { targetableTeams, type HostAnswer } from './live-query.js'
import * as store from './live-queries.store.js'

export type LiveRunService = ReturnType<typeof createLiveRunService>

/**
 * Synchronous live queries: a campaign whose reader is the request itself. It waits until every
 * target answered or `live_query.rest_period` passed (Fleet's FLEET_LIVE_QUERY_REST_PERIOD),
 * returns what arrived, and ends the campaign either way.
 */
export function createLiveRunService(
  deps: Pick<Deps, 'db' | 'clock' | 'log' | 'pubsub' | 'config'>,
  campaigns: Pick<CampaignService, 'queryToRun' | 'launch' | 'end'>,
) {
  /** Runs `query` on `hostIds` and collects the first answer of each, in arrival order. */
  async function collect(
    ctx: RequestCtx,
    query: QueryToRun,
    hostIds: number[],
  ): Promise<Map<number, HostAnswer>> {
    const targets = new Set(hostIds)
    const answers = new Map<number, HostAnswer>()
    let unsubscribe: Unsubscribe | undefined
    let done: () => void = () => undefined
    const finished = new Promise<void>((resolve) => (done = resolve))
    const timer = setTimeout(done, deps.config.live_query.rest_period)
    let campaignId: number | undefined
    try {
      const { campaign } = await campaigns.launch(ctx, query, hostIds, {
        selected: true,
        listen: async (id) => {
          campaignId = id
          unsubscribe = await subscribeAnswers(deps.pubsub, deps.log, id, (answer) => {
            if (targets.has(answer.hostId) && !answers.has(answer.hostId)) {
              answers.set(answer.hostId, answer)
              if (answers.size === targets.size) {
                done()
              }
            }
          })
        },
      })
      campaignId = campaign.id
      await finished
      return answers
    } finally {
      clearTimeout(timer)
      await unsubscribe?.()
      if (campaignId !== undefined) {
        await campaigns.end(campaignId)
      }
    }
  }

  /** `POST /queries/:id/run`: a saved query on hosts by id. */
  async function runSavedQuery(ctx: RequestCtx, queryId: number, hostIds: readonly number[]) {
    const subject = authorizeLiveQueries(ctx)
    const requested = [...new Set(hostIds)]
    if (requested.length === 0) {
      throw InvalidArgumentError.field('host_ids', 'host_ids are required')
    }
    const query = await campaigns.queryToRun(ctx, { queryId })
    const targets = await store.resolveTargets(
      deps.db,
      { hostIds: requested, labelIds: [], allHosts: false, teamIds: [] },
      targetableTeams(subject, query.observerCanRun),
    )
    const answers = await collect(ctx, query, targets)
    const results: LiveQueryHostResult[] = [...answers.values()].map((answer) => ({
      host_id: answer.hostId,
      rows: answer.rows,
      error: answer.error,
    }))
    return {
      query_id: queryId,
      targeted_host_count: requested.length,
      responded_host_count: answers.size,
      results,
    }
  }

  /**
   * `POST /hosts/:id/query` (and by identifier): ad-hoc SQL on one host. An offline host is not
   * asked; an online one that doesn't answer in time gives `timeout waiting for results`.
   */
  async function runOnHost(
    ctx: RequestCtx,
    ref: { id: number } | { identifier: string },
    sql: string,
  ): Promise<HostQueryResponse> {
    const subject = authorizeLiveQueries(ctx)
    const host = await store.findTargetHost(deps.db, ref)
    if (!host) {
      throw new NotFoundError('host')
    }
    const trimmed = sql.trim()
    if (trimmed === '') {
      throw InvalidArgumentError.field('query', 'query is required')
    }
    const query = await campaigns.queryToRun(ctx, { query: trimmed })
    const scope = targetableTeams(subject, false)
    if (scope !== 'all' && (host.teamId === null || !scope.includes(host.teamId))) {
      throw new ForbiddenError()
    }
    const response = { host_id: host.id, query: trimmed }
    if (hostStatus(host, deps.clock.now().getTime()) !== 'online') {
      return { ...response, status: 'offline', error: null, rows: null }
    }
    const answer = (await collect(ctx, query, [host.id])).get(host.id)
    if (!answer) {
      return { ...response, status: 'online', error: 'timeout waiting for results', rows: null }
    }
    return {
      ...response,
      status: 'online',
      error: answer.error,
      rows: answer.error === null ? answer.rows : null,
    }
  }

  return { runSavedQuery, runOnHost }
}
