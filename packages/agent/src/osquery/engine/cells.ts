import type { Cell, ColumnSpec, ColumnType } from './table.js'

/** What a cell becomes in SQLite: TEXT as string, integers as BigInt (a JS number would be REAL). */
export type SqliteCell = string | bigint | number | null

const INTEGER_TEXT = /^\s*[-+]?\d+\s*$/

function toInteger(cell: Cell): bigint | null {
  switch (typeof cell) {
    case 'bigint':
      return cell
    case 'number':
      return Number.isFinite(cell) ? BigInt(Math.trunc(cell)) : null
    case 'boolean':
      return cell ? 1n : 0n
    case 'string':
      return INTEGER_TEXT.test(cell) ? BigInt(cell.trim()) : null
    default:
      return null
  }
}

function toDouble(cell: Cell): number | null {
  if (cell === null || cell === undefined || cell === '') {
    return null
  }
  const value = Number(cell)
  return Number.isFinite(value) ? value : null
}

/**
 * Casts a cell to its column type the way osquery's xColumn does: text stays text, an integer
 * column whose value doesn't parse becomes NULL, a missing value is NULL.
 */
export function toSqlite(cell: Cell, type: ColumnType): SqliteCell {
  if (cell === undefined || cell === null) {
    return null
  }
  switch (type) {
    case 'TEXT':
      return String(cell)
    case 'INTEGER':
    case 'BIGINT':
      return toInteger(cell)
    case 'DOUBLE':
      return toDouble(cell)
  }
}

/** A row object as an array in column order, cast for SQLite. */
export function toSqliteRow(
  row: Record<string, Cell>,
  columns: readonly ColumnSpec[],
): SqliteCell[] {
  return columns.map((column) => toSqlite(row[column.name], column.type))
}

/**
 * A result value in osquery's wire form: integers in decimal, reals as SQLite prints them
 * (`12.0`, `0.5`), NULL as "", blobs as UTF-8 text.
 */
export function toWire(value: unknown): string {
  if (value === null || value === undefined) {
    return ''
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) < 1e15 ? value.toFixed(1) : String(value)
  }
  if (Buffer.isBuffer(value)) {
    return value.toString('utf8')
  }
  return String(value)
}
