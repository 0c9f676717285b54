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
/**
 * How long a campaign outlives a reader whose connection broke (no close frame, or an error
 * code): the web console reconnects and selects it again within this, and gets what arrived.
 */
export const REATTACH_GRACE_MS = 30_000
/**
 * Answers sent this recently before a reader's connection broke are sent again to the next
 * reader: a broken connection swallows what was written before the server noticed (readers
 * drop repeats by host).
 */
export const RESEND_WINDOW_MS = 10_000

type StreamDeps = Pick<Deps, 'db' | 'clock' | 'log' | 'pubsub'>

/**
 * One reader of one campaign: sends `totals` and `status` first, then every host's `result`
 * (once per host, rows tagged with `host_hostname` and `host_display_name` as in Fleet),
 * refreshing totals and status every 5 s. Closing it ends the campaign. A reader whose
 * connection broke is detached: answers wait in `#early` until the next reader attaches.
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
  #sink: CampaignSink | undefined
  /** Answers sent in the last {@link RESEND_WINDOW_MS}, oldest first. */
  #recent: { answer: HostAnswer; at: number }[] = []

  constructor(
    private readonly deps: StreamDeps,
    private readonly campaigns: Pick<CampaignService, 'select' | 'end'>,
    readonly campaign: Campaign,
    sink: CampaignSink,
  ) {
    this.#targets = new Set(campaign.hostIds)
    this.#sink = sink
  }

  /** The reader's connection broke: keep listening, hold answers for the next reader. */
  detach(): void {
    this.#sink = undefined
    const since = this.deps.clock.now().getTime() - RESEND_WINDOW_MS
    const resend = this.#recent.filter((r) => r.at >= since).map((r) => r.answer)
    this.#recent = []
    for (const answer of resend) {
      this.#seen.delete(answer.hostId)
    }
    this.#early = [...resend, ...(this.#early ?? [])]
  }

  /** A reader selected the campaign again: it gets totals, status and the held answers. */
  async attach(sink: CampaignSink): Promise<void> {
    this.#sink = sink
    this.#lastTotals = ''
    this.#lastStatus = ''
    await this.#refresh()
    this.#flushEarly()
  }

  #flushEarly(): void {
    const early = this.#early ?? []
    this.#early = undefined
    for (const answer of early) {
      this.#deliver(answer)
    }
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
    this.#flushEarly()
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
    this.#remember(answer)
    const host = this.#hosts.get(answer.hostId)
    const hostname = host?.hostname ?? answer.hostname
    const displayName = host?.displayName || hostname
    this.#sink?.send({
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

  #remember(answer: HostAnswer): void {
    const now = this.deps.clock.now().getTime()
    const since = now - RESEND_WINDOW_MS
    while (this.#recent[0] && this.#recent[0].at < since) {
      this.#recent.shift()
    }
    this.#recent.push({ answer, at: now })
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
    if (text !== this.#lastTotals && this.#sink) {
      this.#lastTotals = text
      this.#sink.send({ type: 'totals', data: totals })
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
    if (text !== this.#lastStatus && this.#sink) {
      this.#lastStatus = text
      this.#sink.send({ type: 'status', data: progress })
    }
  }
}

export type CampaignStreams = ReturnType<typeof createCampaignStreams>

/**
 * Ends a reader's stream: `broken` when its connection failed rather than closed, which keeps
 * the campaign for {@link REATTACH_GRACE_MS} so the reader can select it again.
 */
export type StopStream = (broken?: boolean) => Promise<void>

/** Opens streams for readers and remembers them, so shutdown can end their campaigns. */
export function createCampaignStreams(
  deps: StreamDeps,
  campaigns: Pick<CampaignService, 'select' | 'end'>,
) {
  const open = new Set<CampaignStream>()
  /** Streams whose reader's connection broke, by campaign, with the timer that ends them. */
  const detached = new Map<number, { stream: CampaignStream; timer: NodeJS.Timeout }>()

  function refuse(sink: CampaignSink, reason: string): undefined {
    sink.send({ type: 'error', data: reason })
    sink.close()
    return undefined
  }

  function stopFor(stream: CampaignStream): StopStream {
    const end = async () => {
      open.delete(stream)
      await stream.close()
    }
    return async (broken = false) => {
      if (!broken) {
        return end()
      }
      stream.detach()
      const id = stream.campaign.id
      const timer = setTimeout(() => {
        detached.delete(id)
        end().catch((err: unknown) =>
          deps.log.warn({ err, campaignId: id }, 'ending a live query left by its reader failed'),
        )
      }, REATTACH_GRACE_MS)
      timer.unref()
      detached.set(id, { stream, timer })
    }
  }

  /**
   * Starts streaming campaign `campaignId` to `sink` for the authenticated `ctx`: only its
   * creator may read it (Fleet). Resolves with a stop function (call it on disconnect: it ends
   * the campaign, or keeps it a while for a reader whose connection broke), or undefined after
   * sending an error and closing the sink. Within this instance, a reader that selects a
   * campaign kept that way takes over its stream; on another instance the campaign still ends
   * when the first instance's grace runs out.
   */
  async function open_(
    ctx: RequestCtx,
    campaignId: number,
    sink: CampaignSink,
  ): Promise<StopStream | undefined> {
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
    const left = detached.get(campaignId)
    if (left) {
      detached.delete(campaignId)
      clearTimeout(left.timer)
      const stop = stopFor(left.stream)
      await left.stream.attach(sink)
      return stop
    }
    const stream = new CampaignStream(deps, campaigns, campaign, sink)
    open.add(stream)
    const stop = stopFor(stream)
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
    for (const { timer } of detached.values()) {
      clearTimeout(timer)
    }
    detached.clear()
    const streams = [...open]
    open.clear()
    await Promise.all(streams.map((stream) => stream.close()))
  }

  return { open: open_, closeAll }
}
