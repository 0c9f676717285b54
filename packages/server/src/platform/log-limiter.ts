/**
 * Keeps repeated log lines about what agents send (results nobody asked for, a full report) to
 * one per key per interval: thousands of hosts report the same thing every few seconds, and a
 * line per request costs more than the request itself and buries everything else in the log.
 */
export class LogLimiter {
  readonly #intervalMs: number
  readonly #maxKeys: number
  readonly #loggedAt = new Map<string, number>()

  /** `maxKeys` bounds memory: past it, the oldest keys are forgotten (and may log again). */
  constructor(intervalMs: number, maxKeys = 10_000) {
    this.#intervalMs = intervalMs
    this.#maxKeys = maxKeys
  }

  /** Whether a line for `key` may be logged at `nowMs` (then not again for the interval). */
  allow(key: string, nowMs: number, intervalMs = this.#intervalMs): boolean {
    const last = this.#loggedAt.get(key)
    if (last !== undefined && nowMs - last < intervalMs) {
      return false
    }
    this.#loggedAt.delete(key)
    this.#loggedAt.set(key, nowMs)
    if (this.#loggedAt.size > this.#maxKeys) {
      const oldest = this.#loggedAt.keys().next().value
      if (oldest !== undefined) {
        this.#loggedAt.delete(oldest)
      }
    }
    return true
  }
}
