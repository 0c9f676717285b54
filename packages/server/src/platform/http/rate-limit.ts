/**
 * Token buckets by key (an email, an IP). In memory, so with several server instances each one
 * limits on its own — still a hard cap of N×limit on password guessing.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; updated: number }>()
  readonly #ratePerMs: number
  readonly #burst: number
  readonly #now: () => number

  constructor(options: { perMinute: number; burst: number; now?: () => number }) {
    this.#ratePerMs = options.perMinute / 60_000
    this.#burst = options.burst
    this.#now = options.now ?? Date.now
  }

  /** Takes a token; returns 0 if allowed, else the seconds to wait. */
  take(key: string): number {
    const now = this.#now()
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, updated: now }
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.updated) * this.#ratePerMs)
    bucket.updated = now
    if (bucket.tokens < 1) {
      this.#buckets.set(key, bucket)
      return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#ratePerMs / 1000))
    }
    bucket.tokens -= 1
    this.#buckets.set(key, bucket)
    this.#prune(now)
    return 0
  }

  #prune(now: number): void {
    if (this.#buckets.size < 10_000) {
      return
    }
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.updated) * this.#ratePerMs >= this.#burst) {
        this.#buckets.delete(key)
      }
    }
  }
}
