import { Backoff, sleep } from '../../transport/backoff.js'
import type { LogBuffer, LogKind } from './log-buffer.js'
import type { DaemonLog } from './status-log.js'

/** How one POST of log lines went. `too-large` is HTTP 413: send fewer lines. */
export type SendOutcome = 'ok' | 'too-large' | 'failed'

/** The TLS logger flags, read on every cycle so config options apply at once. */
export interface ForwarderSettings {
  /** logger_tls_period in ms; 0 sends as soon as lines arrive. */
  periodMs: number
  /** logger_tls_max_lines. */
  maxLines: number
  /** logger_tls_max_linesize in bytes. */
  maxLineSize: number
  /** logger_tls_backoff_max in ms; 0 disables back-off. */
  backoffMaxMs: number
}

/** The buffer to drain, how to send a batch, and the flags that pace it. */
export interface LogForwarderOptions {
  buffer: LogBuffer
  send: (kind: LogKind, data: unknown[], signal?: AbortSignal) => Promise<SendOutcome>
  settings: () => ForwarderSettings
  log: DaemonLog
  random?: () => number
}

/** What one check of the buffer did. */
export type CheckOutcome = 'idle' | 'sent' | 'failed'

/**
 * osquery's BufferedLogForwarder over the on-disk buffer: every period, send up to max_lines of
 * the oldest lines (results, then statuses, one request each) and delete them only once the
 * server accepted them. Failures back off exponentially with jitter up to logger_tls_backoff_max;
 * nothing is lost while the server is down (only the buffer's own bounds drop lines).
 */
export class LogForwarder {
  private batchLimit = Number.POSITIVE_INFINITY
  private readonly backoff: Backoff
  private wake: (() => void) | undefined

  constructor(private readonly options: LogForwarderOptions) {
    this.backoff = new Backoff(() => {
      const { periodMs, backoffMaxMs } = options.settings()
      return { baseMs: Math.max(periodMs, 1000), maxMs: Math.max(backoffMaxMs, periodMs, 1000) }
    }, options.random)
  }

  /** Says new lines arrived: with a period of 0 they go out now. */
  notify(): void {
    this.wake?.()
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const outcome = await this.check(signal)
      const { periodMs, backoffMaxMs } = this.options.settings()
      if (outcome === 'failed' && backoffMaxMs > 0) {
        await sleep(this.backoff.fail(), signal)
        continue
      }
      this.backoff.reset()
      await this.pause(periodMs, signal)
    }
  }

  /** Sends until the buffer is empty, a send fails, or `deadlineMs` (Date.now) passes. */
  async drain(deadlineMs: number, signal?: AbortSignal): Promise<boolean> {
    while (Date.now() < deadlineMs) {
      const outcome = await this.check(signal)
      if (outcome === 'idle') {
        return true
      }
      if (outcome === 'failed') {
        return false
      }
    }
    return this.options.buffer.size() === 0
  }

  /** One cycle: send what is buffered, oldest first. */
  async check(signal?: AbortSignal): Promise<CheckOutcome> {
    const { maxLines, maxLineSize } = this.options.settings()
    const batch = this.options.buffer.peek(Math.min(Math.max(1, maxLines), this.batchLimit))
    if (batch.length === 0) {
      return 'idle'
    }
    const dropped: number[] = []
    const byKind: Record<LogKind, { ids: number[]; data: unknown[] }> = {
      result: { ids: [], data: [] },
      status: { ids: [], data: [] },
    }
    for (const entry of batch) {
      const tooLong = maxLineSize > 0 && Buffer.byteLength(entry.line, 'utf8') > maxLineSize
      const parsed = tooLong ? undefined : parse(entry.line)
      if (parsed === undefined) {
        dropped.push(entry.id)
        continue
      }
      byKind[entry.kind].ids.push(entry.id)
      byKind[entry.kind].data.push(parsed)
    }
    if (dropped.length > 0) {
      this.options.buffer.ack(dropped)
      this.options.log.warn(
        `Linesize exceeds TLS logger maximum: dropped ${dropped.length} line(s)`,
      )
    }
    for (const kind of ['result', 'status'] as const) {
      const { ids, data } = byKind[kind]
      if (ids.length === 0) {
        continue
      }
      const outcome = await this.options.send(kind, data, signal)
      if (outcome === 'too-large') {
        return this.shrink(ids)
      }
      if (outcome === 'failed') {
        return 'failed'
      }
      this.options.buffer.ack(ids)
    }
    this.batchLimit = Number.POSITIVE_INFINITY
    return 'sent'
  }

  /** A 413: halve the batch; a single line the server still refuses is dropped. */
  private shrink(ids: number[]): CheckOutcome {
    if (ids.length <= 1) {
      this.options.buffer.ack(ids)
      this.options.log.warn('Dropping a log line the server refused as too large')
      return 'sent'
    }
    this.batchLimit = Math.max(1, Math.floor(ids.length / 2))
    return 'sent'
  }

  private pause(periodMs: number, signal: AbortSignal): Promise<void> {
    if (periodMs > 0) {
      return sleep(periodMs, signal)
    }
    if (this.options.buffer.size() > 0) {
      return sleep(100, signal)
    }
    return new Promise((resolve) => {
      const done = (): void => {
        this.wake = undefined
        signal.removeEventListener('abort', done)
        resolve()
      }
      this.wake = done
      signal.addEventListener('abort', done, { once: true })
    })
  }
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    return undefined
  }
}
