import { setTimeout as sleep } from 'node:timers/promises'
import { errorMessage } from '../../platform/errors/index.js'
import type { Logger } from '../../platform/logger.js'
import type { LogDestination } from './log-destination.js'

export interface SinkStats {
  /** Lines waiting for the destination (their requests wait with them). */
  queued: number
  /** Lines the destination accepted. */
  written: number
  /** Lines given up at shutdown: still queued when the close timeout ran out (answered 503). */
  dropped: number
  /** Lines refused (a full buffer, a failing destination): the host keeps them and sends them again. */
  refused: number
}

export interface SinkOptions {
  /** `result` or `status`, for log lines. */
  name: string
  /** Lines held at most; an offer that doesn't fit is refused (unless the buffer is empty). */
  capacity: number
  /** Lines per destination write (an offer is never split across writes). */
  batchLines?: number
  /**
   * How long the first lines wait for more before a write, so a busy server writes a few large
   * batches instead of one per log post (0: write at once). `flush` ends the wait.
   */
  coalesceMs?: number
  /** How long `close` waits for queued lines before giving them up (counted as dropped). */
  closeTimeoutMs?: number
  /** After a failed write, offers are refused this long; doubles on each failure up to the max. */
  retryDelayMs?: number
  maxRetryDelayMs?: number
  log: Logger
  /** The clock the back-off and refusal logging read (tests inject one). */
  now?: () => number
}

/** Refusals are logged at most this often. */
const REFUSAL_LOG_INTERVAL_MS = 60_000

/** An offer waiting for its write: settled true once written, false if the write failed. */
interface Pending {
  lines: readonly string[]
  settle(written: boolean): void
}

/**
 * Group commit in front of a log destination. An offer resolves true only once its lines are
 * written, so the host is told "accepted" only for what the destination has (a server killed
 * with lines in memory loses nothing the host was told it kept); offers that arrive while a
 * write is under way go into the next one, so a busy server writes large batches. When a write
 * fails, every offer waiting resolves false (the host gets 503 and sends the lines again: none
 * of them reached the destination, so nothing is duplicated), and new offers are refused for a
 * back-off before the next one is tried.
 */
export class BufferedLogSink {
  readonly #destination: LogDestination
  readonly #options: Required<SinkOptions>
  readonly #pending: Pending[] = []
  readonly #stats: SinkStats = { queued: 0, written: 0, dropped: 0, refused: 0 }
  #draining: Promise<void> | undefined
  #lastRefusalLog = 0
  #closed = false
  /** Set when the last write failed, cleared by the next that succeeds. */
  #failing = false
  /** While failing, offers are refused until then (ms since the epoch). */
  #retryAt = 0
  #retryDelayMs: number
  /** Ends the current coalescing wait (flush and close don't wait for more lines). */
  #writeNow: AbortController | undefined

  constructor(destination: LogDestination, options: SinkOptions) {
    this.#destination = destination
    this.#options = {
      batchLines: 1_000,
      coalesceMs: 0,
      closeTimeoutMs: 10_000,
      retryDelayMs: 1_000,
      maxRetryDelayMs: 30_000,
      now: Date.now,
      ...options,
    }
    this.#retryDelayMs = this.#options.retryDelayMs
  }

  get destinationKind(): string {
    return this.#destination.kind
  }

  /** The destination's own start-time check, if it has one. */
  async check(): Promise<void> {
    await this.#destination.check?.()
  }

  /** Whether `lines` more would be taken now: not while a failed destination's back-off runs. */
  hasRoom(lines: number): boolean {
    if (this.#closed || (this.#failing && this.#options.now() < this.#retryAt)) {
      return false
    }
    return this.#stats.queued === 0 || this.#stats.queued + lines <= this.#options.capacity
  }

  /** True while the destination fails to take what it is given. */
  get failing(): boolean {
    return this.#failing
  }

  /**
   * Writes `lines` with the next batch: true once written; false (counted as refused) when the
   * buffer is full, the destination is failing, or the write failed — the host sends them again.
   */
  offer(lines: readonly string[]): Promise<boolean> {
    if (lines.length === 0) {
      return Promise.resolve(true)
    }
    if (!this.hasRoom(lines.length)) {
      this.#refuse(lines.length)
      return Promise.resolve(false)
    }
    this.#stats.queued += lines.length
    const written = new Promise<boolean>((settle) => this.#pending.push({ lines, settle }))
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined
    })
    return written
  }

  stats(): SinkStats {
    return { ...this.#stats }
  }

  /** Resolves once everything offered so far was written or refused. */
  async flush(): Promise<void> {
    while (this.#draining) {
      this.#writeNow?.abort()
      await this.#draining
    }
  }

  /**
   * Refuses new lines, writes what is queued (waiting at most `closeTimeoutMs`; offers still
   * waiting then are answered false and counted as dropped), and closes the destination.
   */
  async close(): Promise<void> {
    this.#closed = true
    const deadline = new AbortController()
    const flushed = await Promise.race([
      this.flush().then(() => true),
      sleep(this.#options.closeTimeoutMs, false, { signal: deadline.signal }).catch(() => false),
    ])
    deadline.abort()
    if (!flushed) {
      const left = this.#settleAll(this.#pending.splice(0), false)
      this.#stats.dropped += left
      this.#options.log.error(
        { log: this.#options.name, destination: this.#destination.kind, lines: left },
        'osquery log lines still queued at shutdown were not written; hosts will send them again',
      )
    }
    await this.#destination.close()
  }

  #refuse(count: number): void {
    this.#stats.refused += count
    const now = this.#options.now()
    if (now - this.#lastRefusalLog >= REFUSAL_LOG_INTERVAL_MS) {
      this.#lastRefusalLog = now
      this.#options.log.warn(
        { log: this.#options.name, destination: this.#destination.kind, ...this.#stats },
        this.#failing
          ? 'osquery log destination is failing; hosts are asked to send their logs again later'
          : 'osquery log buffer is full; hosts are asked to send their logs again later',
      )
    }
  }

  /** Settles offers and takes their lines off the queue; returns how many lines they held. */
  #settleAll(offers: readonly Pending[], written: boolean): number {
    let count = 0
    for (const offer of offers) {
      count += offer.lines.length
      offer.settle(written)
    }
    this.#stats.queued -= count
    return count
  }

  /** Whole offers, oldest first, up to batchLines lines (at least one offer). */
  #takeBatch(): Pending[] {
    const batch: Pending[] = []
    let lines = 0
    for (const next of this.#pending) {
      if (batch.length > 0 && lines + next.lines.length > this.#options.batchLines) {
        break
      }
      batch.push(next)
      lines += next.lines.length
    }
    this.#pending.splice(0, batch.length)
    return batch
  }

  async #drain(): Promise<void> {
    // Let the caller's request finish, and more lines arrive, before the first write starts.
    if (this.#options.coalesceMs > 0) {
      this.#writeNow = new AbortController()
      await sleep(this.#options.coalesceMs, undefined, { signal: this.#writeNow.signal }).catch(
        () => {},
      )
      this.#writeNow = undefined
    } else {
      await Promise.resolve()
    }
    for (let batch = this.#takeBatch(); batch.length > 0; batch = this.#takeBatch()) {
      await this.#deliver(batch)
    }
  }

  /** Writes one batch and settles its offers; a failure refuses everything still waiting too. */
  async #deliver(batch: Pending[]): Promise<void> {
    const context = { log: this.#options.name, destination: this.#destination.kind }
    try {
      await this.#destination.write(batch.flatMap((offer) => offer.lines))
    } catch (err) {
      const refused = this.#settleAll([...batch, ...this.#pending.splice(0)], false)
      this.#stats.refused += refused
      this.#retryAt = this.#options.now() + this.#retryDelayMs
      this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, this.#options.maxRetryDelayMs)
      if (!this.#failing) {
        this.#failing = true
        this.#options.log.error(
          { ...context, lines: refused, err: errorMessage(err) },
          'osquery log destination failed; hosts are asked to send their logs again',
        )
      }
      return
    }
    this.#stats.written += this.#settleAll(batch, true)
    if (this.#failing) {
      this.#failing = false
      this.#retryDelayMs = this.#options.retryDelayMs
      this.#options.log.info(context, 'osquery log destination recovered')
    }
  }
}
