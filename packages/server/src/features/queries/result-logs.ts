import type { Deps } from '../../deps.js'
import { errorMessage } from '../../platform/errors/index.js'
import { LogLimiter } from '../../platform/log-limiter.js'
import { keepsReport, parseScheduledQueryName, type SavedQuery } from './query.js'
import type { QuerySchedule, ReportSettingsSource } from './query-schedule.js'
import * as results from './query-results.store.js'

/** Results of a query nobody sent the host are logged once per team and query name this often. */
const IGNORED_LOG_INTERVAL_MS = 60 * 60 * 1000

/** The host a result log came from, as the agent path knows it. */
export interface LogHost {
  id: number
  teamId: number | null
}

/** One parsed entry of an osquery result log. */
interface ResultEntry {
  index: number
  name: string
  unixTime: number
  action: string
  /** Snapshot rows (snapshot format), or undefined. */
  snapshot?: Record<string, unknown>[]
  /** One row (event format), or undefined. */
  columns?: Record<string, unknown>
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseEntry(value: unknown, index: number): ResultEntry | undefined {
  if (!isRecord(value) || typeof value.name !== 'string' || value.name === '') {
    return undefined
  }
  const unixTime = Number(value.unixTime)
  return {
    index,
    name: value.name,
    unixTime: Number.isFinite(unixTime) ? unixTime : 0,
    action: typeof value.action === 'string' ? value.action : '',
    snapshot: Array.isArray(value.snapshot) ? value.snapshot.filter(isRecord) : undefined,
    columns: isRecord(value.columns) ? value.columns : undefined,
  }
}

/**
 * The latest snapshot per query name. Hosts configured with `--logger_snapshot_event_type` send a
 * snapshot as one entry per row (`columns`, action "snapshot"); those are gathered back into one.
 */
function latestSnapshots(entries: readonly ResultEntry[]): Map<string, ResultEntry> {
  const latest = new Map<string, ResultEntry>()
  const events = new Map<string, ResultEntry>()
  for (const logged of entries) {
    if (logged.action !== 'snapshot') {
      continue
    }
    let entry = logged
    if (logged.snapshot === undefined && logged.columns !== undefined) {
      const gathered = events.get(logged.name)
      if (gathered && gathered.unixTime === logged.unixTime) {
        gathered.snapshot?.push(logged.columns)
        continue
      }
      entry = { ...logged, snapshot: [logged.columns] }
      events.set(logged.name, entry)
    }
    const previous = latest.get(entry.name)
    if (!previous || entry.unixTime >= previous.unixTime) {
      latest.set(entry.name, entry)
    }
  }
  return latest
}

export interface ResultLogProcessor {
  /**
   * Stores the snapshots in `entries` as query reports and returns the entries to forward to the
   * result log destination (Fleet: everything when reports are disabled; otherwise all but
   * unreadable entries and results of Fleet's queries with automations off).
   */
  process(host: LogHost, entries: readonly unknown[]): Promise<unknown[]>
}

/**
 * Reads osquery result logs for the queries feature: resolves `pack/Global/<name>` and
 * `pack/team-<id>/<name>` to saved queries from memory, keeps each host's latest snapshot as the
 * query's report (within `server_settings.query_report_cap`), and filters what is forwarded.
 */
export function createResultLogProcessor(
  deps: Pick<Deps, 'db' | 'clock' | 'log'>,
  schedule: Pick<QuerySchedule, 'find'>,
  reportSettings: ReportSettingsSource,
): ResultLogProcessor {
  /** "Report full" once per query per its interval; "ignoring results" once per query an hour. */
  const limiter = new LogLimiter(IGNORED_LOG_INTERVAL_MS)
  function logReportFull(query: SavedQuery, fields: Record<string, number>, now: number): void {
    if (!limiter.allow(`full:${query.id}`, now, Math.max(query.interval, 60) * 1000)) {
      return
    }
    deps.log.info(
      { queryId: query.id, ...fields },
      'query report is full; rows beyond the cap were not stored',
    )
  }

  async function resolve(name: string): Promise<SavedQuery | undefined> {
    const parsed = parseScheduledQueryName(name)
    return parsed && schedule.find(parsed.teamId, parsed.queryName)
  }

  async function storeReports(
    host: LogHost,
    snapshots: Map<string, ResultEntry>,
    known: Map<string, SavedQuery | undefined>,
    cap: number,
  ): Promise<void> {
    const ignored: string[] = []
    for (const [name, entry] of snapshots) {
      const query = known.get(name)
      if (!query || (query.teamId !== null && query.teamId !== host.teamId)) {
        // Only the schedule's own packs name saved queries; a user pack's results (`pack/<pack
        // name>/<entry>`) have no report and are forwarded as they are, so nothing to say.
        if (parseScheduledQueryName(name)) {
          ignored.push(name)
        }
        continue
      }
      if (!keepsReport(query, false)) {
        continue
      }
      try {
        await saveSnapshot(host, query, entry.snapshot ?? [], cap)
      } catch (err) {
        deps.log.error(
          { hostId: host.id, queryId: query.id, err: errorMessage(err) },
          'storing a query report failed',
        )
      }
    }
    const now = deps.clock.now().getTime()
    const fresh = ignored.filter((name) => limiter.allow(`ignored:${host.teamId}:${name}`, now))
    if (fresh.length > 0) {
      deps.log.info(
        { hostId: host.id, teamId: host.teamId, queries: fresh.slice(0, 10) },
        'ignoring results of queries this host was not sent',
      )
    }
  }

  async function saveSnapshot(
    host: LogHost,
    query: SavedQuery,
    rows: readonly Record<string, unknown>[],
    cap: number,
  ): Promise<void> {
    // A full report takes no new hosts (Fleet), and checking first spares the write; a host
    // already in it still replaces its rows, so the report doesn't freeze once full.
    if (
      (await results.countReportRows(deps.db, query.id)) >= cap &&
      !(await results.hostHasRows(deps.db, query.id, host.id))
    ) {
      return
    }
    const now = deps.clock.now().getTime()
    const stored = await deps.db
      .transaction()
      .execute((trx) =>
        results.replaceHostRows(trx, { queryId: query.id, hostId: host.id, rows, cap, now }),
      )
    if (stored < rows.length) {
      logReportFull(query, { hostId: host.id, rows: rows.length, stored, cap }, now)
    }
  }

  return {
    async process(host, raw) {
      const entries: ResultEntry[] = []
      raw.forEach((value, index) => {
        const entry = parseEntry(value, index)
        if (entry) {
          entries.push(entry)
        }
      })
      if (entries.length < raw.length) {
        deps.log.debug(
          { hostId: host.id, unreadable: raw.length - entries.length },
          'skipping unreadable result log entries',
        )
      }
      const settings = await reportSettings()
      if (settings.disabled) {
        return entries.map((e) => raw[e.index])
      }
      const known = new Map<string, SavedQuery | undefined>()
      for (const entry of entries) {
        if (!known.has(entry.name)) {
          known.set(entry.name, await resolve(entry.name))
        }
      }
      await storeReports(host, latestSnapshots(entries), known, settings.cap)
      return entries
        .filter((e) => known.get(e.name)?.automationsEnabled !== false)
        .map((e) => raw[e.index])
    },
  }
}
