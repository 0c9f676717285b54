import type { Log } from '../../platform/logger.js'

/**
 * Per-check-in facts (seen times, refresh times), buffered in memory and written in batches on a
 * timer: what would otherwise cost a write per request. The latest value per key wins; a failed
 * write puts its entries back unless a newer one was recorded meanwhile.
 */
export class CheckinBuffer<K, V> {
  #pending = new Map<K, V>()
  #timer?: NodeJS.Timeout
  #flushing: Promise<void> = Promise.resolve()
  readonly #write: (batch: ReadonlyMap<K, V>) => Promise<void>
  readonly #log: Log
  readonly #what: string

  constructor(write: (batch: ReadonlyMap<K, V>) => Promise<void>, log: Log, what: string) {
    this.#write = write
    this.#log = log
    this.#what = what
  }

  record(key: K, value: V): void {
    this.#pending.set(key, value)
  }

  /** Drops a pending value (its subject was reset or removed). */
  drop(key: K): void {
    this.#pending.delete(key)
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => void this.flush(), intervalMs)
    this.#timer.unref()
  }

  /** Writes what is pending; a failed write puts its entries back for the next flush. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      if (this.#pending.size === 0) {
        return
      }
      const batch = this.#pending
      this.#pending = new Map()
      try {
        await this.#write(batch)
      } catch (err) {
        this.#log.warn({ err, entries: batch.size }, `writing ${this.#what} failed; will retry`)
        for (const [key, value] of batch) {
          if (!this.#pending.has(key)) {
            this.#pending.set(key, value)
          }
        }
      }
    })
    return this.#flushing
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.flush()
  }

  get pending(): number {
    return this.#pending.size
  }
}

/** Check-in times by host id. */
export class SeenTimeBuffer extends CheckinBuffer<number, number> {
  constructor(write: (seen: ReadonlyMap<number, number>) => Promise<void>, log: Log) {
    super(write, log, 'check-in times')
  }
}

/** Host ids per check-in-time UPDATE: small enough that one statement blocks SQLite ~1 ms. */
const CHECKIN_WRITE_CHUNK = 250

/**
 * Writes buffered check-in times with `write(second, ids)`: one call per distinct second (a flush
 * holds few) and chunk of ids, yielding to the event loop between calls — on embedded SQLite each
 * statement runs on the main thread, and thousands of rows in one go would stall every request.
 */
export async function writeCheckinsBySecond(
  times: ReadonlyMap<number, number>,
  write: (second: number, ids: number[]) => Promise<unknown>,
): Promise<void> {
  const bySecond = new Map<number, number[]>()
  for (const [id, ms] of times) {
    const second = Math.floor(ms / 1000) * 1000
    const ids = bySecond.get(second) ?? []
    ids.push(id)
    bySecond.set(second, ids)
  }
  for (const [second, ids] of bySecond) {
    for (let i = 0; i < ids.length; i += CHECKIN_WRITE_CHUNK) {
      await write(second, ids.slice(i, i + CHECKIN_WRITE_CHUNK))
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
}
