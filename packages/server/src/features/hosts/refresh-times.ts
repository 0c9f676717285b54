import type { Log } from '../../platform/logger.js'
import { on, publish, type PubSub, type Unsubscribe } from '../../platform/pubsub/index.js'
import { AGENT_REFRESH_TIMES } from './hosts.channels.js'
import type { RefreshRow } from './refresh-times.store.js'
import { CheckinBuffer } from './seen-time-buffer.js'

/** One host's times for one refresh schedule (see RefreshSchedule). */
export interface RefreshTime {
  /** When the host last answered any of the schedule's queries: the `since` of incremental asks. */
  since: number
  /** When the host last answered the whole set: schedules the next full refresh. */
  refreshedAt: number
}

const NEVER: RefreshTime = Object.freeze({ since: 0, refreshedAt: 0 })

/** Where refresh times are stored: read once at start, written in batches. */
export interface RefreshTimesStore {
  load(): Promise<RefreshRow[]>
  write(rows: readonly RefreshRow[]): Promise<void>
}

/**
 * Every host's refresh times, per schedule, in memory on each instance: the check-in path reads
 * them with no SQL. An answer updates them here, queues a batched write (like seen times) and is
 * published, so every instance holds the same times whichever one the host checks in to next.
 */
export class RefreshTimes {
  readonly #byHost = new Map<number, Map<string, RefreshTime>>()
  readonly #buffer: CheckinBuffer<string, RefreshRow>
  readonly #instance = Math.random().toString(36).slice(2)
  readonly #pubsub: PubSub
  readonly #store: RefreshTimesStore
  readonly #log: Log
  #unsubscribe?: Unsubscribe

  constructor(pubsub: PubSub, store: RefreshTimesStore, log: Log) {
    this.#pubsub = pubsub
    this.#store = store
    this.#log = log
    this.#buffer = new CheckinBuffer(
      (batch) => store.write([...batch.values()]),
      log,
      'refresh times',
    )
  }

  /** Subscribes first (so nothing published during the load is missed), then loads every row. */
  async start(flushIntervalMs: number): Promise<void> {
    const receive = on(AGENT_REFRESH_TIMES, (message) => this.#receive(message))
    this.#unsubscribe = await receive.subscribe(this.#pubsub, this.#log)
    for (const row of await this.#store.load()) {
      this.#merge(row)
    }
    this.#buffer.start(flushIntervalMs)
  }

  /** Writes what is buffered and stops listening. */
  async stop(): Promise<void> {
    await this.#buffer.stop()
    await this.#unsubscribe?.()
  }

  /** Writes what is buffered now. */
  flush(): Promise<void> {
    return this.#buffer.flush()
  }

  /** A host's times for a schedule (zero when it never answered). */
  get(hostId: number, provider: string): RefreshTime {
    return this.#byHost.get(hostId)?.get(provider) ?? NEVER
  }

  /**
   * Records that the host answered the schedule's queries at `at`: `since` moves; `refreshedAt`
   * moves only for an answer to the whole set, so answering a newly added label or policy does not
   * postpone the next full refresh. Returns the row to {@link publish}.
   */
  answered(hostId: number, provider: string, at: number, full: boolean): RefreshRow {
    const refreshedAt = full ? at : this.get(hostId, provider).refreshedAt
    const row = { hostId, provider, since: at, refreshedAt }
    this.#set(row)
    this.#buffer.record(`${hostId}/${provider}`, row)
    return row
  }

  /** Tells the other instances about times recorded here. */
  async publish(rows: readonly RefreshRow[]): Promise<void> {
    if (rows.length > 0) {
      await publish(this.#pubsub, AGENT_REFRESH_TIMES, { from: this.#instance, set: [...rows] })
    }
  }

  /** Starts hosts over (they enrolled again), here and on every instance; the caller deletes the rows. */
  async reset(hostIds: readonly number[]): Promise<void> {
    this.#forget(hostIds)
    await publish(this.#pubsub, AGENT_REFRESH_TIMES, { from: this.#instance, reset: [...hostIds] })
  }

  #forget(hostIds: readonly number[]): void {
    for (const id of hostIds) {
      for (const provider of this.#byHost.get(id)?.keys() ?? []) {
        this.#buffer.drop(`${id}/${provider}`)
      }
      this.#byHost.delete(id)
    }
  }

  #set(row: RefreshRow): void {
    let times = this.#byHost.get(row.hostId)
    if (!times) {
      times = new Map()
      this.#byHost.set(row.hostId, times)
    }
    times.set(row.provider, { since: row.since, refreshedAt: row.refreshedAt })
  }

  /** Keeps the later of each time: rows from the database and from other instances may cross. */
  #merge(row: RefreshRow): void {
    const known = this.get(row.hostId, row.provider)
    this.#set({
      ...row,
      since: Math.max(known.since, row.since),
      refreshedAt: Math.max(known.refreshedAt, row.refreshedAt),
    })
  }

  #receive(message: { from: string; set?: RefreshRow[]; reset?: number[] }): void {
    if (message.from === this.#instance) {
      return
    }
    this.#forget(message.reset ?? [])
    for (const row of message.set ?? []) {
      this.#merge(row)
    }
  }
}
