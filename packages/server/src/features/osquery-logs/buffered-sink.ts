import { setTimeout as sleep } from 'node:timers/promises'
import { errorMessage } from '../../platform/errors/index.js'
import type { Logger } from '../../platform/logger.js'
import type { LogDestination } from './log-destination.js'

export interface SinkStats {
  /** Lines waiting for the destination. */
  queued: number
  /** Lines the destination accepted. */
  written: number
  /** Lines given up: only those still queued when the server stops after its close timeout. */
  dropped: number
  /** Lines refused because the buffer was full: the host keeps them and sends them again. */
  refused: number
}

export interface SinkOptions {
  /** `result` or `status`, for log lines. */
  name: string
  /** Lines held at most; an offer that doesn't fit is refused (unless the buffer is empty). */
  capacity: number
  /** Lines per destination write. */
  batchLines?: number
  /**
   * How long the first lines wait for more before a write, so a busy server writes a few large
   * batches a second instead of one per log post (0: write at once). `flush` ends the wait.
   */
  coalesceMs?: number
  /** How long `close` waits for queued lines before giving them up (counted as dropped). */
  closeTimeoutMs?: number
  /** First wait before writing again after the destination failed; doubles up to the max. */
  retryDelayMs?: number
  maxRetryDelayMs?: number
  log: Logger
}

/** Refusals are logged at most this often. */
const REFUSAL_LOG_INTERVAL_MS = 60_000

/**
 * A bounded buffer in front of a log destination, drained in the background one batch at a time,
 * so a slow destination never holds up a check-in: `offer` answers at once. Nothing accepted is
 * lost: a batch the destination fails to take (read-only path, full disk, webhook down) stays at
 * the head of the queue and is written again with back-off, and while the destination fails the
 * sink refuses new lines, so the caller answers 503 and osquery keeps them and sends them again.
 */
export class BufferedLogSink {
  readonly #destination: LogDestination
  readonly #options: Required<SinkOptions>
  readonly #chunks: string[][] = []
  readonly #stats: SinkStats = { queued: 0, written: 0, dropped: 0, refused: 0 }
  #draining: Promise<void> | undefined
  #lastRefusalLog = 0
  #closed = false
  /** Set when the last write failed, cleared by the next that succeeds. */
  #failing = false
  #retryDelayMs: number
  /** Aborts a back-off wait when close gives up. */
  readonly #stop = new AbortController()
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

  /** Whether `lines` more would be taken now: never while the destination is failing. */
  hasRoom(lines: number): boolean {
    if (this.#failing) {
      return false
    }
    return this.#stats.queued === 0 || this.#stats.queued + lines <= this.#options.capacity
  }

  /** True while the destination fails to take what is queued. */
  get failing(): boolean {
    return this.#failing
  }

  /** Queues lines for delivery; false (and counted as refused) when the buffer is full. */
  offer(lines: readonly string[]): boolean {
    if (lines.length === 0) {
      return true
    }
    if (this.#closed || !this.hasRoom(lines.length)) {
      this.#refuse(lines.length)
      return false
    }
    this.#chunks.push([...lines])
    this.#stats.queued += lines.length
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined
    })
    return true
  }

  stats(): SinkStats {
    return { ...this.#stats }
  }

  /** Resolves once everything queued so far was delivered or dropped. */
  async flush(): Promise<void> {
    while (this.#draining) {
      this.#writeNow?.abort()
      await this.#draining
    }
  }

  /**
   * Refuses new lines, delivers what is queued (waiting at most `closeTimeoutMs`; what is left
   * then is dropped and logged), and closes the destination.
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
      this.#stop.abort()
      const left = this.#chunks.splice(0).reduce((n, chunk) => n + chunk.length, 0)
      this.#stats.dropped += left
      this.#stats.queued -= left
      this.#options.log.error(
        { log: this.#options.name, destination: this.#destination.kind, lines: left },
        'osquery log lines still queued at shutdown were dropped',
      )
    }
    await this.#destination.close()
  }

  #refuse(count: number): void {
    this.#stats.refused += count
    const now = Date.now()
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

  #takeBatch(): string[] {
    const batch: string[] = []
    while (this.#chunks.length > 0 && batch.length < this.#options.batchLines) {
      const chunk = this.#chunks[0] ?? []
      const room = this.#options.batchLines - batch.length
      if (chunk.length <= room) {
        batch.push(...chunk)
        this.#chunks.shift()
      } else {
        batch.push(...chunk.splice(0, room))
      }
    }
    return batch
  }

  async #drain(): Promise<void> {
    // Let the caller's request finish, and more lines arrive, before the first write starts.
    if (this.#options.coalesceMs > 0) {
      this.#writeNow = new AbortController()
      const signal = AbortSignal.any([this.#writeNow.signal, this.#stop.signal])
      await sleep(this.#options.coalesceMs, undefined, { signal }).catch(() => {})
      this.#writeNow = undefined
    } else {
      await Promise.resolve()
    }
    for (let batch = this.#takeBatch(); batch.length > 0; batch = this.#takeBatch()) {
      if (await this.#deliver(batch)) {
        continue
      }
      if (this.#stop.signal.aborted) {
        this.#stats.dropped += batch.length
        this.#stats.queued -= batch.length
        continue
      }
      // Kept at the head, in order; written again after the back-off.
      this.#chunks.unshift(batch)
      await sleep(this.#retryDelayMs, undefined, { signal: this.#stop.signal }).catch(() => {})
      this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, this.#options.maxRetryDelayMs)
    }
  }

  /** Writes one batch; false when the destination failed (logged once per failing spell). */
  async #deliver(batch: string[]): Promise<boolean> {
    const context = { log: this.#options.name, destination: this.#destination.kind }
    try {
      await this.#destination.write(batch)
    } catch (err) {
      if (!this.#failing) {
        this.#failing = true
        this.#options.log.error(
          { ...context, queued: this.#stats.queued, err: errorMessage(err) },
          'osquery log destination failed; keeping the lines, retrying, and refusing new ones',
        )
      }
      return false
    }
    this.#stats.written += batch.length
    this.#stats.queued -= batch.length
    if (this.#failing) {
      this.#failing = false
      this.#retryDelayMs = this.#options.retryDelayMs
      this.#options.log.info(context, 'osquery log destination recovered')
    }
    return true
  }
}
