import type { HostReportColumn, HostSummaryJson } from '@fleet/api'

/** The hosts CSV report (`GET /hosts/report`): cells, lines and the streamed lines of pages. */

/**
 * Text a spreadsheet would run as a formula (`=`, `+`, `@`, a tab or carriage return first, or a
 * `-` not starting a number): host names come from the hosts themselves, so they are not trusted.
 */
const FORMULA_START = /^(?:[=+@\t\r]|-(?![\d.]))/

/** One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; null is empty. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) {
    return ''
  }
  let text = typeof value === 'string' ? value : String(value)
  if (typeof value === 'string' && FORMULA_START.test(text)) {
    text = `'${text}`
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** One CSV line, CRLF-terminated as RFC 4180 has it. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}

/** A column's value for a host, as its JSON shows it. */
export function reportValue(host: HostSummaryJson, column: HostReportColumn): unknown {
  return column === 'failing_policies_count' ? host.issues.failing_policies_count : host[column]
}

/**
 * The report's text: the header, then one line per host as each page arrives (a page's lines are
 * one chunk, so a 100,000-host report is never whole in memory).
 */
export async function* reportLines(
  columns: readonly HostReportColumn[],
  pages: AsyncIterable<readonly HostSummaryJson[]>,
): AsyncGenerator<string> {
  yield csvLine(columns)
  for await (const hosts of pages) {
    yield hosts.map((host) => csvLine(columns.map((c) => reportValue(host, c)))).join('')
  }
}
