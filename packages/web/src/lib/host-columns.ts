import type { HostReportColumn } from '@fleet/api'

/** The hosts table's columns: which exist, which show by default, and the user's choice. */

export interface HostColumnInfo {
  id: string
  label: string
  /** The CSV report's column for it. */
  report: HostReportColumn
  /** Shown until the user says otherwise. */
  shown: boolean
}

export const HOST_COLUMNS: readonly HostColumnInfo[] = [
  { id: 'display_name', label: 'Host', report: 'display_name', shown: true },
  { id: 'status', label: 'Status', report: 'status', shown: true },
  { id: 'platform', label: 'Platform', report: 'platform', shown: true },
  { id: 'os_version', label: 'OS', report: 'os_version', shown: true },
  { id: 'team_name', label: 'Team', report: 'team_name', shown: true },
  { id: 'issues', label: 'Failing policies', report: 'failing_policies_count', shown: true },
  { id: 'primary_ip', label: 'IP address', report: 'primary_ip', shown: true },
  { id: 'seen_time', label: 'Last seen', report: 'seen_time', shown: true },
  { id: 'osquery_version', label: 'osquery', report: 'osquery_version', shown: false },
  { id: 'hardware_serial', label: 'Serial number', report: 'hardware_serial', shown: false },
  { id: 'hardware_model', label: 'Hardware model', report: 'hardware_model', shown: false },
  { id: 'primary_mac', label: 'MAC address', report: 'primary_mac', shown: false },
  { id: 'memory', label: 'Memory', report: 'memory', shown: false },
  { id: 'created_at', label: 'Enrolled', report: 'created_at', shown: false },
]

/** Always shown: a row without its host's name means nothing. */
export const FIXED_COLUMN = 'display_name'

/** Where the choice is remembered (per browser, as Fleet's console does). */
export const COLUMNS_STORAGE_KEY = 'fleet.hosts.columns'

const KNOWN = new Set(HOST_COLUMNS.map((c) => c.id))

/** The default set of shown column ids. */
export function defaultColumns(): string[] {
  return HOST_COLUMNS.filter((c) => c.shown).map((c) => c.id)
}

/**
 * The shown columns from what was stored: a JSON list of ids. Anything unreadable, unknown or
 * empty falls back to the defaults; the host column is always in.
 */
export function parseStoredColumns(stored: string | null): string[] {
  if (stored === null) {
    return defaultColumns()
  }
  let value: unknown
  try {
    value = JSON.parse(stored)
  } catch {
    return defaultColumns()
  }
  if (!Array.isArray(value)) {
    return defaultColumns()
  }
  const ids = new Set(value.filter((v): v is string => typeof v === 'string' && KNOWN.has(v)))
  if (ids.size === 0) {
    return defaultColumns()
  }
  ids.add(FIXED_COLUMN)
  return HOST_COLUMNS.filter((c) => ids.has(c.id)).map((c) => c.id)
}

/** Shows or hides one column, keeping the table's order; the host column cannot be hidden. */
export function toggleColumn(shown: readonly string[], id: string): string[] {
  if (id === FIXED_COLUMN || !KNOWN.has(id)) {
    return [...shown]
  }
  const next = new Set(shown)
  if (next.has(id)) {
    next.delete(id)
  } else {
    next.add(id)
  }
  return HOST_COLUMNS.filter((c) => next.has(c.id)).map((c) => c.id)
}

/** The CSV report's `columns` for the shown columns, in the same order. */
export function reportColumns(shown: readonly string[]): string {
  return HOST_COLUMNS.filter((c) => shown.includes(c.id))
    .map((c) => c.report)
    .join(',')
}
