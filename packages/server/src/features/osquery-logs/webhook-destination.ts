import { setTimeout as sleep } from 'node:timers/promises'
import type { LogDestination } from './log-destination.js'

export interface WebhookOptions {
  url: string
  /** Per request. */
  timeoutMs?: number
  /** Tries per batch, the first included. */
  attempts?: number
  /** Wait before the first retry; doubles each time. */
  backoffMs?: number
  now?: () => Date
}

/** The URL without query string or credentials (tokens often ride in either), for log lines. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  } catch {
    return '(invalid URL)'
  }
}

class WebhookError extends Error {
  readonly retriable: boolean
  constructor(message: string, retriable: boolean) {
    super(message)
    this.retriable = retriable
  }
}

/**
 * POSTs each batch as Fleet's webhook log writer does: a JSON array of
 * `{"timestamp": <RFC 3339>, "details": <log entry>}`. Network errors, timeouts, 429 and 5xx are
 * retried with exponential back-off; other answers fail the batch at once.
 */
export class WebhookDestination implements LogDestination {
  readonly kind = 'webhook'
  readonly #url: string
  readonly #timeoutMs: number
  readonly #attempts: number
  readonly #backoffMs: number
  readonly #now: () => Date

  constructor(options: WebhookOptions) {
    this.#url = options.url
    this.#timeoutMs = options.timeoutMs ?? 15_000
    this.#attempts = Math.max(1, options.attempts ?? 4)
    this.#backoffMs = options.backoffMs ?? 1_000
    this.#now = options.now ?? (() => new Date())
  }

  async write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) {
      return
    }
    const timestamp = JSON.stringify(this.#now().toISOString())
    // The lines are JSON already: wrap them without parsing them again.
    const body = `[${lines.map((line) => `{"timestamp":${timestamp},"details":${line}}`).join(',')}]`
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#post(body)
        return
      } catch (err) {
        const retriable = !(err instanceof WebhookError) || err.retriable
        if (!retriable || attempt >= this.#attempts) {
          throw err
        }
        await sleep(this.#backoffMs * 2 ** (attempt - 1))
      }
    }
  }

  close(): Promise<void> {
    return Promise.resolve()
  }

  async #post(body: string): Promise<void> {
    const where = safeUrl(this.#url)
    let response: Response
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
    } catch (err) {
      throw new WebhookError(
        `POST ${where} failed: ${err instanceof Error ? err.message : String(err)}`,
        true,
      )
    }
    // Drain the body so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined)
    if (response.ok) {
      return
    }
    throw new WebhookError(
      `POST ${where} answered ${response.status}`,
      response.status === 429 || response.status >= 500,
    )
  }
}
