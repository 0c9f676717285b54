import type { ColumnType, TableSpec } from './table.js'
import { allTables } from './tables/index.js'

/** One column as `fleetd query --schema` prints it. */
export interface SchemaColumn {
  name: string
  type: ColumnType
  /** An input only `=` constraints reach (osquery's hidden columns); not in `SELECT *`. */
  hidden?: true
}

/** One table as `fleetd query --schema` prints it. */
export interface SchemaTable {
  name: string
  columns: SchemaColumn[]
}

/**
 * The tables the engine defines with their columns, sorted by name: what osqueryi's `.schema`
 * tells, as data. The web console's SQL editor completes from this (it runs
 * `fleetd query --schema` at build time), so its list can never drift from the engine's tables.
 * Columns osquery defines only for other platforms (`foreign`) are left out: they are always NULL
 * here. Tables the engine serves only in some settings (orbit_info) are included.
 */
export function tableSchema(tables: readonly TableSpec[] = allTables()): SchemaTable[] {
  return [...tables]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((table) => ({
      name: table.name,
      columns: [
        ...table.columns.map((column) => ({ name: column.name, type: column.type })),
        ...(table.hidden ?? []).map((name) => ({
          name,
          type: 'TEXT' as const,
          hidden: true as const,
        })),
      ],
    }))
}
