/**
 * Rows or ids per statement when a list can be long (a command for 10,000 devices): SQLite
 * allows 32,766 bound parameters per statement, MySQL and PostgreSQL 65,535, so a multi-row
 * INSERT or an `IN (…)` of a whole fleet fails without splitting.
 */
export const STATEMENT_CHUNK = 1000

/** `items` in consecutive slices of at most `size`. */
export function chunked<T>(items: readonly T[], size = STATEMENT_CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size))
  }
  return out
}
