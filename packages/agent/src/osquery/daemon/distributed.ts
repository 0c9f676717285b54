import type { Engine, Row } from '../engine/engine.js'
import { sleep } from '../../transport/backoff.js'
import type { Flags } from './flags.js'
import { errorText, isRecord } from '../../transport/remote-client.js'
import type { TlsSession } from './session.js'
import type { DaemonLog } from './status-log.js'

/** osquery's check-in period while accelerated (kDistributedAccelerationInterval). */
export const ACCELERATED_INTERVAL_S = 5

/** What distributed/read asked for. */
export interface DistributedWork {
  queries: Record<string, string>
  discovery: Record<string, string>
  /** Seconds to check in every 5 s instead of every distributed_interval. */
  accelerate: number | undefined
}

/** The distributed/write body (without node_key). */
export interface DistributedResults {
  queries: Record<string, Row[] | ''>
  statuses: Record<string, number>
  messages: Record<string, string>
  stats: Record<string, { wall_time_ms: number }>
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (isRecord(value)) {
    for (const [name, sql] of Object.entries(value)) {
      if (typeof sql === 'string' && name !== '' && sql !== '') {
        out[name] = sql
      }
    }
  }
  return out
}

/** Reads a distributed/read answer leniently, as osquery does (bad entries are skipped). */
export function parseWork(body: unknown): DistributedWork {
  const record = isRecord(body) ? body : {}
  const accelerate = Number(record.accelerate)
  return {
    queries: stringMap(record.queries),
    discovery: stringMap(record.discovery),
    accelerate: Number.isInteger(accelerate) && accelerate > 0 ? accelerate : undefined,
  }
}

/**
 * Runs the work: a query with a discovery query runs only if discovery returns a row (and is not
 * reported otherwise, as osquery); a failed query is reported with status 1, `""` as its
 * results and the engine's error in `messages`.
 */
export function runWork(
  engine: Engine,
  work: DistributedWork,
  now: () => number = performance.now.bind(performance),
): DistributedResults {
  const results: DistributedResults = { queries: {}, statuses: {}, messages: {}, stats: {} }
  for (const [name, sql] of Object.entries(work.queries)) {
    const discovery = work.discovery[name]
    if (discovery !== undefined) {
      const check = engine.query(discovery)
      if (check.status !== 0 || check.rows.length === 0) {
        continue
      }
    }
    const started = now()
    const outcome = engine.query(sql)
    results.stats[name] = { wall_time_ms: Math.round(now() - started) }
    if (outcome.status === 0) {
      results.queries[name] = outcome.rows
      results.statuses[name] = 0
    } else {
      results.queries[name] = ''
      results.statuses[name] = 1
      results.messages[name] = outcome.error
    }
  }
  return results
}

/** What the distributed runner talks to and runs queries on. */
export interface DistributedOptions {
  session: TlsSession
  engine: Engine
  flags: Flags
  log: DaemonLog
  /** Milliseconds since the epoch. */
  now?: () => number
}

/**
 * osquery's DistributedRunner: every distributed_interval seconds (5 s while accelerated) read
 * the queries, run them, and write the results. Disabled while --disable_distributed is true.
 */
export class DistributedRunner {
  private acceleratedUntil = 0
  /** Check-ins and writes done (diagnostics, tests). */
  readonly counts = { reads: 0, writes: 0, queries: 0 }

  constructor(private readonly options: DistributedOptions) {}

  private enabled(): boolean {
    const { flags } = this.options
    return !flags.bool('disable_distributed') && flags.get('distributed_plugin') === 'tls'
  }

  /** One check-in: read, run, write. Returns false when the read or write failed. */
  async once(signal?: AbortSignal): Promise<boolean> {
    const { flags, session, log } = this.options
    const attempts = Math.max(1, flags.int('distributed_tls_max_attempts', 3))
    const read = await session.post(flags.get('distributed_tls_read_endpoint'), {}, attempts, {
      signal,
    })
    if (read.kind !== 'ok') {
      log.debug(`Distributed read failed: ${read.error}`)
      return false
    }
    this.counts.reads++
    const work = parseWork(read.body)
    if (work.accelerate !== undefined) {
      log.info(`Accelerating distributed query checkins for ${work.accelerate} seconds`)
      this.acceleratedUntil = this.nowMs() + work.accelerate * 1000
    }
    const names = Object.keys(work.queries)
    if (names.length === 0) {
      return true
    }
    const loud = flags.bool('distributed_loginfo')
    for (const name of names) {
      const message = `Executing distributed query: ${name}: ${work.queries[name]}`
      if (loud) {
        log.info(message)
      } else {
        log.debug(message)
      }
    }
    const results = runWork(this.options.engine, work)
    this.counts.queries += Object.keys(results.statuses).length
    const write = await session.post(
      flags.get('distributed_tls_write_endpoint'),
      { ...results },
      attempts,
      { signal },
    )
    if (write.kind !== 'ok') {
      log.warn(`Error writing distributed query results: ${write.error}`)
      return false
    }
    this.counts.writes++
    return true
  }

  /** Checks in until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (this.enabled()) {
        try {
          await this.once(signal)
        } catch (err) {
          this.options.log.error(`Distributed query check-in failed: ${errorText(err)}`)
        }
      }
      const accelerated = this.nowMs() < this.acceleratedUntil
      const seconds = accelerated
        ? ACCELERATED_INTERVAL_S
        : Math.max(1, this.options.flags.int('distributed_interval', 60))
      await sleep(seconds * 1000, signal)
    }
  }

  private nowMs(): number {
    return this.options.now?.() ?? Date.now()
  }
}
