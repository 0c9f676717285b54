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
