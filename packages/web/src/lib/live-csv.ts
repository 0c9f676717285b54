/**
 * CSV of a live query's rows (RFC 4180): one header line with the union of every host's columns,
 * in the order they were first seen, then one line per row. Lines end with CRLF; a field is quoted
 * when it holds a comma, a quote, a line break or leading/trailing space, with quotes doubled.
 */
export function liveResultsCsv(
  rows: readonly Readonly<Record<string, unknown>>[],
  columns: readonly string[] = columnUnion(rows),
): string {
  const lines = [columns.map(csvField).join(',')]
  for (const row of rows) {
    lines.push(columns.map((column) => csvField(cellText(row[column]))).join(','))
  }
  return `${lines.join('\r\n')}\r\n`
}

/** Every key of every row, in first-seen order: hosts answer with different columns. */
export function columnUnion(rows: readonly Readonly<Record<string, unknown>>[]): string[] {
  const seen = new Set<string>()
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      seen.add(key)
    }
  }
  return [...seen]
}

/** A cell as text: osquery sends strings; anything else (a missing column) is written plainly. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) {
    return ''
  }
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
