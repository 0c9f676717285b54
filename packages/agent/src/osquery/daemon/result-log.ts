import type { Row } from '../engine/engine.js'
import type { DiffResults } from './differential.js'

/** The fields every result log line carries, as osquery's QueryLogItem. */
export interface LogItemHeader {
  name: string
  hostIdentifier: string
  /** Seconds since the epoch when the query ran. */
  unixTime: number
  epoch: number
  counter: number
  decorations: Record<string, string>
}

/** Flags that shape result lines (logger_event_type, logger_snapshot_event_type, ...). */
export interface ResultLogFormat {
  eventType: boolean
  snapshotEventType: boolean
  numerics: boolean
  decorationsTopLevel: boolean
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** osquery's calendarTime: C asctime() of the UTC time plus " UTC", e.g. "Tue Sep  3 19:54:19 2019 UTC". */
export function calendarTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000)
  const pad = (n: number): string => String(n).padStart(2, '0')
  const day = String(d.getUTCDate()).padStart(2, ' ')
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${time} ${d.getUTCFullYear()} UTC`
}

/** With logger_numerics, values that are plain numbers become JSON numbers. */
function renderRow(row: Row, numerics: boolean): Record<string, string | number> {
  if (!numerics) {
    return row
  }
  const out: Record<string, string | number> = {}
  for (const [column, value] of Object.entries(row)) {
    out[column] = /^-?(0|[1-9]\d*)(\.\d+)?$/.test(value) ? Number(value) : value
  }
  return out
}

/** name, hostIdentifier, calendarTime, unixTime, epoch, counter, numerics, decorations. */
function legacyFields(header: LogItemHeader, format: ResultLogFormat): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    name: header.name,
    hostIdentifier: header.hostIdentifier,
    calendarTime: calendarTime(header.unixTime),
    unixTime: header.unixTime,
    epoch: header.epoch,
    counter: header.counter,
    numerics: format.numerics,
  }
  if (Object.keys(header.decorations).length > 0) {
    if (format.decorationsTopLevel) {
      Object.assign(fields, header.decorations)
    } else {
      fields.decorations = header.decorations
    }
  }
  return fields
}

/**
 * Result lines for a differential run. With logger_event_type (osquery's default) one line per
 * row, `columns` plus `action` "added"/"removed"; otherwise one line with `diffResults`.
 * Returns no lines when nothing changed.
 */
export function differentialLines(
  header: LogItemHeader,
  diff: DiffResults,
  format: ResultLogFormat,
): string[] {
  if (diff.added.length === 0 && diff.removed.length === 0) {
    return []
  }
  const base = legacyFields(header, format)
  if (!format.eventType) {
    const diffResults = {
      removed: diff.removed.map((row) => renderRow(row, format.numerics)),
      added: diff.added.map((row) => renderRow(row, format.numerics)),
    }
    return [JSON.stringify({ diffResults, ...base })]
  }
  const event = (row: Row, action: string): string =>
    JSON.stringify({ ...base, columns: renderRow(row, format.numerics), action })
  return [
    ...diff.removed.map((row) => event(row, 'removed')),
    ...diff.added.map((row) => event(row, 'added')),
  ]
}

/**
 * Result lines for a snapshot query: one line with the whole `snapshot` array and action
 * "snapshot", or one line per row with logger_snapshot_event_type.
 */
export function snapshotLines(
  header: LogItemHeader,
  rows: Row[],
  format: ResultLogFormat,
): string[] {
  const base = legacyFields(header, format)
  if (format.snapshotEventType) {
    return rows.map((row) =>
      JSON.stringify({ ...base, columns: renderRow(row, format.numerics), action: 'snapshot' }),
    )
  }
  const snapshot = rows.map((row) => renderRow(row, format.numerics))
  return [JSON.stringify({ snapshot, action: 'snapshot', ...base })]
}
