import { RateLimiter } from '../../platform/http/index.js'

/**
 * Limits failures per key (a client IP), as Fleet's error limiter does for Fleet Desktop tokens:
 * every failure takes from a token bucket, and once a failure finds the bucket empty the key is
 * refused outright, successes included, until the bucket has refilled. Refusing successes too
 * matters: otherwise a blocked client could keep guessing and recognize a valid token by its answer.
 */
export class FailureLimiter {
  readonly #bucket: RateLimiter
  readonly #blockedUntil = new Map<string, number>()
  readonly #now: () => number

  constructor(options: { perHour: number; burst: number; now: () => number }) {
    this.#bucket = new RateLimiter({
      perMinute: options.perHour / 60,
      burst: options.burst,
      now: options.now,
    })
    this.#now = options.now
  }

  /** Seconds the key must wait before it may try again; 0 when it may. */
  waitFor(key: string): number {
    const until = this.#blockedUntil.get(key)
    if (until === undefined) {
      return 0
    }
    const now = this.#now()
    if (now >= until) {
      this.#blockedUntil.delete(key)
      return 0
    }
    return Math.ceil((until - now) / 1000)
  }

  /** Records a failure; returns the seconds to wait when it went over the limit, else 0. */
  fail(key: string): number {
    const wait = this.#bucket.take(key)
    if (wait > 0) {
      const now = this.#now()
      this.#blockedUntil.set(key, now + wait * 1000)
      this.#prune(now)
    }
    return wait
  }

  #prune(now: number): void {
    if (this.#blockedUntil.size < 10_000) {
      return
    }
    for (const [key, until] of this.#blockedUntil) {
      if (until <= now) {
        this.#blockedUntil.delete(key)
      }
    }
  }
}
