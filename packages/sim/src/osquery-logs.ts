import type { ResultRow } from '@fleet/api'
import type { ScheduledQuery } from './schedule.js'

/** What a log line says about the host that wrote it. */
export interface LogSource {
  /** The `host_identifier` it enrolled with. */
  hostIdentifier: string
  uuid: string
  hostname: string
  osqueryVersion: string
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** osquery's `calendarTime`: `Tue Oct 17 18:19:21 2023 UTC`. */
export function calendarTime(ms: number): string {
  const d = new Date(ms)
  const two = (n: number): string => String(n).padStart(2, '0')
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ` +
    `${d.getUTCFullYear()} UTC`
  )
}

/** Fleet's default decorators: `host_uuid` and `hostname`. */
function decorations(source: LogSource): Record<string, string> {
  return { host_uuid: source.uuid, hostname: source.hostname }
}

const ROUTINE = [
  { filename: 'tls.cpp', line: '254', message: 'TLS/HTTPS POST request to URI: /api/osquery/log' },
  { filename: 'distributed.cpp', line: '119', message: 'Executing distributed query' },
  { filename: 'config.cpp', line: '1242', message: 'Refreshing configuration state' },
]

/**
 * A small batch of status log lines (serialised): one routine line, picked by `tick`, and one
 * "Executing scheduled query" line per query that ran.
 */
export function statusLogLines(
  source: LogSource,
  nowMs: number,
  tick: number,
  ran: readonly ScheduledQuery[],
): string[] {
  const base = {
    hostIdentifier: source.hostIdentifier,
    calendarTime: calendarTime(nowMs),
    unixTime: String(Math.floor(nowMs / 1000)),
    severity: '0',
    version: source.osqueryVersion,
    decorations: decorations(source),
  }
  const routine = ROUTINE[tick % ROUTINE.length] ?? ROUTINE[0]
  const lines = [JSON.stringify({ ...base, ...routine })]
  for (const query of ran) {
    lines.push(
      JSON.stringify({
        ...base,
        filename: 'scheduler.cpp',
        line: '83',
        message: `Executing scheduled query ${query.name}: ${query.query}`,
      }),
    )
  }
  return lines
}

/** A snapshot result log line (serialised) for one run of a scheduled query. */
export function resultLogLine(
  source: LogSource,
  query: ScheduledQuery,
  rows: readonly ResultRow[],
  nowMs: number,
  counter: number,
): string {
  return JSON.stringify({
    name: query.name,
    hostIdentifier: source.hostIdentifier,
    calendarTime: calendarTime(nowMs),
    unixTime: Math.floor(nowMs / 1000),
    epoch: 0,
    counter,
    numerics: false,
    decorations: decorations(source),
    snapshot: rows,
    action: 'snapshot',
  })
}
