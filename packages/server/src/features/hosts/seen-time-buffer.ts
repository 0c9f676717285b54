import type { Log } from '../../platform/logger.js'

/**
 * Check-in times, buffered in memory and written in batches on a timer: the per-check-in fact
 * that would otherwise cost an UPDATE per request.
 */
export class SeenTimeBuffer {
  #pending = new Map<number, number>()
  #timer?: NodeJS.Timeout
  #flushing: Promise<void> = Promise.resolve()
  readonly #write: (seen: ReadonlyMap<number, number>) => Promise<void>
  readonly #log: Log

  constructor(write: (seen: ReadonlyMap<number, number>) => Promise<void>, log: Log) {
    this.#write = write
    this.#log = log
  }

  record(hostId: number, at: number): void {
    this.#pending.set(hostId, at)
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
        this.#log.warn({ err, hosts: batch.size }, 'writing check-in times failed; will retry')
        for (const [id, at] of batch) {
          if ((this.#pending.get(id) ?? 0) < at) {
            this.#pending.set(id, at)
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
