import type { CampaignProgress, LiveQuerySocketMessage, TargetMetrics } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { allowed } from '../../platform/authz/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import type { Unsubscribe } from '../../platform/pubsub/index.js'
import { subscribeAnswers } from './campaign-results.js'
import type { CampaignService } from './campaigns.service.js'
import {
  CampaignStatus,
  targetMetrics,
  totalsOf,
  type Campaign,
  type HostAnswer,
  type TargetHost,
} from './live-query.js'
import * as store from './live-queries.store.js'

/** Where a stream writes: the websocket, or a test's list. */
export interface CampaignSink {
  send(message: LiveQuerySocketMessage): void
  /** Ends the connection (after an error message). */
  close(): void
}

/** Totals and status are recomputed this often (Fleet: every 5 s). */
export const STREAM_REFRESH_MS = 5_000

type StreamDeps = Pick<Deps, 'db' | 'clock' | 'log' | 'pubsub'>

/**
 * One reader of one campaign: sends `totals` and `status` first, then every host's `result`
 * (once per host, rows tagged with `host_hostname` and `host_display_name` as in Fleet),
 * refreshing totals and status every 5 s. Closing it ends the campaign.
 */
class CampaignStream {
  #hosts = new Map<number, TargetHost>()
  readonly #targets: ReadonlySet<number>
  readonly #seen = new Set<number>()
  #early: HostAnswer[] | undefined = []
  #metrics: TargetMetrics | undefined
  #lastTotals = ''
  #lastStatus = ''
  #timer: NodeJS.Timeout | undefined
  #unsubscribe: Unsubscribe | undefined
  #closed = false

  constructor(
    private readonly deps: StreamDeps,
    private readonly campaigns: Pick<CampaignService, 'select' | 'end'>,
    private readonly campaign: Campaign,
    private readonly sink: CampaignSink,
  ) {
    this.#targets = new Set(campaign.hostIds)
  }

  async open(): Promise<void> {
    this.#unsubscribe = await subscribeAnswers(
      this.deps.pubsub,
      this.deps.log,
      this.campaign.id,
      (answer) => this.#onAnswer(answer),
    )
    await this.campaigns.select(this.campaign.id)
    await this.#refresh()
    for (const answer of this.#early ?? []) {
      this.#deliver(answer)
    }
    this.#early = undefined
    this.#timer = setInterval(() => {
      this.#refresh().catch((err: unknown) =>
        this.deps.log.warn({ err, campaignId: this.campaign.id }, 'live query totals failed'),
      )
    }, STREAM_REFRESH_MS)
  }

  async close(): Promise<void> {
    if (this.#closed) {
      return
    }
    this.#closed = true
    clearInterval(this.#timer)
    await this.#unsubscribe?.()
    await this.campaigns.end(this.campaign.id)
  }

  #onAnswer(answer: HostAnswer): void {
    if (this.#early) {
      this.#early.push(answer)
      return
    }
    this.#deliver(answer)
  }

  #deliver(answer: HostAnswer): void {
    if (this.#closed || this.#seen.has(answer.hostId) || !this.#targets.has(answer.hostId)) {
      return
    }
    this.#seen.add(answer.hostId)
    const host = this.#hosts.get(answer.hostId)
    const hostname = host?.hostname ?? answer.hostname
    const displayName = host?.displayName || hostname
    this.sink.send({
      type: 'result',
      data: {
        distributed_query_execution_id: this.campaign.id,
        host: { id: answer.hostId, hostname, display_name: displayName },
        rows: answer.rows.map((row) => ({
          ...row,
          host_hostname: hostname,
          host_display_name: displayName,
        })),
        error: answer.error,
      },
    })
    if (this.#progress().status === 'finished') {
      this.#sendStatus()
    }
  }

  async #refresh(): Promise<void> {
    const hosts = await store.targetHosts(this.deps.db, this.campaign.hostIds)
    if (this.#closed) {
      return
    }
    this.#hosts = new Map(hosts.map((host) => [host.id, host]))
    this.#metrics = targetMetrics(hosts, this.deps.clock.now().getTime())
    const totals = totalsOf(this.#metrics)
    const text = JSON.stringify(totals)
    if (text !== this.#lastTotals) {
      this.#lastTotals = text
      this.sink.send({ type: 'totals', data: totals })
    }
    this.#sendStatus()
  }

  #progress(): CampaignProgress {
    const expected = this.#metrics?.OnlineHosts ?? 0
    const actual = this.#seen.size
    return {
      expected_results: expected,
      actual_results: actual,
      status: actual >= expected ? 'finished' : 'pending',
    }
  }

  /** Sends the status when it differs from the last one sent. */
  #sendStatus(): void {
    const progress = this.#progress()
    const text = JSON.stringify(progress)
    if (text !== this.#lastStatus) {
      this.#lastStatus = text
      this.sink.send({ type: 'status', data: progress })
    }
  }
}

export type CampaignStreams = ReturnType<typeof createCampaignStreams>

/** Opens streams for readers and remembers them, so shutdown can end their campaigns. */
export function createCampaignStreams(
  deps: StreamDeps,
  campaigns: Pick<CampaignService, 'select' | 'end'>,
) {
  const open = new Set<CampaignStream>()

  function refuse(sink: CampaignSink, reason: string): undefined {
    sink.send({ type: 'error', data: reason })
    sink.close()
    return undefined
  }

  /**
   * Starts streaming campaign `campaignId` to `sink` for the authenticated `ctx`: only its
   * creator may read it (Fleet). Resolves with a stop function (call it on disconnect: it ends
   * the campaign), or undefined after sending an error and closing the sink.
   */
  async function open_(
    ctx: RequestCtx,
    campaignId: number,
    sink: CampaignSink,
  ): Promise<(() => Promise<void>) | undefined> {
    const subject = ctx.authz.subject
    if (!subject || !allowed(ctx.authz, { type: 'live_query', observerCanRun: true }, 'create')) {
      return refuse(sink, 'forbidden')
    }
    const campaign = await store.findCampaign(deps.db, campaignId)
    if (!campaign) {
      return refuse(sink, `cannot find campaign for ID ${campaignId}`)
    }
    if (campaign.userId !== subject.userId) {
      return refuse(sink, 'forbidden')
    }
    if (campaign.status === CampaignStatus.finished) {
      return refuse(sink, `campaign ${campaignId} is not running`)
    }
    const stream = new CampaignStream(deps, campaigns, campaign, sink)
    open.add(stream)
    const stop = async () => {
      open.delete(stream)
      await stream.close()
    }
    try {
      await stream.open()
    } catch (err) {
      await stop()
      throw err
    }
    return stop
  }

  /** Ends every open stream's campaign (server shutdown). */
  async function closeAll(): Promise<void> {
    const streams = [...open]
    open.clear()
    await Promise.all(streams.map((stream) => stream.close()))
  }

  return { open: open_, closeAll }
}
