import type { Engine } from '../engine/engine.js'
import type { Decorations } from './decorators.js'
import type { ResultStore } from './differential.js'
import type { Flags } from './flags.js'
import type { LoggerPlugin } from './logger-plugins.js'
import { errorText } from '../../transport/remote-client.js'
import { differentialLines, snapshotLines, type ResultLogFormat } from './result-log.js'
import type { ScheduledQuery } from './schedule-plan.js'
import type { DaemonLog } from './status-log.js'

/** What running a scheduled query touches. */
export interface QueryRunnerOptions {
  engine: Engine
  results: ResultStore
  decorations: Decorations
  logger: LoggerPlugin
  flags: Flags
  log: DaemonLog
  hostIdentifier: () => string
  /** Told how each run went (the scheduler's statistics). */
  onRun?: (name: string, run: { wallTimeMs: number; outputSize: number; at: number }) => void
  /** Milliseconds since the epoch. */
  now?: () => number
}

/** The result log format the flags ask for. */
export function resultLogFormat(flags: Flags): ResultLogFormat {
  return {
    eventType: flags.bool('logger_event_type'),
    snapshotEventType: flags.bool('logger_snapshot_event_type'),
    numerics: flags.bool('logger_numerics'),
    decorationsTopLevel: flags.bool('decorations_top_level'),
  }
}

/**
 * Runs one scheduled query as osquery's launchQuery: `always` decorators first, then the SQL;
 * a snapshot query logs all rows, a differential one logs what was added and removed since the
 * stored previous run (removed rows omitted when the query says `removed: false`).
 */
export function createQueryRunner(options: QueryRunnerOptions): (query: ScheduledQuery) => void {
  const run = runOne(options)
  return (query) => {
    try {
      run(query)
    } catch (err) {
      // The engine promises not to throw; a bug there must not stop the schedule.
      options.log.error(`Error executing scheduled query ${query.name}: ${errorText(err)}`)
    }
  }
}

function runOne(options: QueryRunnerOptions): (query: ScheduledQuery) => void {
  const now = options.now ?? Date.now
  return (query) => {
    const { flags, log } = options
    const message = `Executing scheduled query ${query.name}: ${query.query}`
    if (flags.bool('schedule_lognames')) {
      log.info(message)
    } else {
      log.debug(message)
    }
    options.decorations.runAlways()
    const started = now()
    const outcome = options.engine.query(query.query)
    const finished = now()
    if (outcome.status !== 0) {
      log.error(`Error executing scheduled query ${query.name}: ${outcome.error}`)
      return
    }
    const unixTime = Math.floor(finished / 1000)
    options.onRun?.(query.name, {
      wallTimeMs: finished - started,
      outputSize: outcome.rows.reduce((sum, row) => sum + JSON.stringify(row).length, 0),
      at: unixTime,
    })
    const header = {
      name: query.name,
      hostIdentifier: options.hostIdentifier(),
      unixTime,
      epoch: flags.int('schedule_epoch'),
      counter: 0,
      decorations: options.decorations.current(),
    }
    const format = resultLogFormat(flags)
    if (query.snapshot) {
      options.logger.results(snapshotLines(header, outcome.rows, format), true)
      return
    }
    const diff = options.results.record(query.name, query.query, header.epoch, outcome.rows)
    const removed = query.removed ? diff.removed : []
    const lines = differentialLines(
      { ...header, counter: diff.counter },
      { added: diff.added, removed },
      format,
    )
    if (lines.length > 0) {
      log.debug(`Found results for query: ${query.name}`)
      options.logger.results(lines, false)
    }
  }
}
