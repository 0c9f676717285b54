import type { NetworkInterfaceInfo } from 'node:os'
import type { EngineContext } from './engine.js'
import type { HostFs } from './host-fs.js'
import type { ConstraintHint } from './sql-scan.js'

/** osquery's column types; they decide how a value is handed to SQLite (text, integer, real). */
export type ColumnType = 'TEXT' | 'INTEGER' | 'BIGINT' | 'DOUBLE'

/** One column of a table, with osquery's name and type. */
export interface ColumnSpec {
  name: string
  type: ColumnType
}

/** A cell as a table produces it; normalized to the column's type before SQLite sees it. */
export type Cell = string | number | bigint | boolean | null | undefined

/** A row as a table produces it: column name → cell. Missing columns are NULL, as in osquery. */
export type TableRow = Record<string, Cell>

/** Values of a table's hidden columns (osquery's `hidden=True` inputs such as pid_with_namespace). */
export type HiddenArgs = Record<string, string | number | bigint | undefined>

/**
 * What the host offers beyond its files: values a test can replace. `networkInterfaces` has no
 * file form on Linux (IPv4 addresses come from netlink), so it is injected like the rest.
 */
export interface HostProbe {
  networkInterfaces(): NodeJS.Dict<NetworkInterfaceInfo[]>
  /** uname machine, e.g. `x86_64`. */
  arch(): string
  /** gethostname(), used when /proc/sys/kernel/hostname is unreadable. */
  hostname(): string
  /** The engine's own process id (osquery_info.pid). */
  pid: number
  /** Logical CPUs available (std::thread::hardware_concurrency). */
  logicalCpus(): number
  /** Milliseconds since the epoch. */
  now(): number
}

/** Everything a table's generator may read. One context per engine; `hints` change per statement. */
export interface TableContext {
  fs: HostFs
  probe: HostProbe
  engine: EngineContext
  /** Literal `path`/`directory` constraints found in the running statement (file, hash tables). */
  hints(): readonly ConstraintHint[]
  /** Names of every table the engine serves (osquery_registry). */
  tableNames(): string[]
  /** Records a warning the way osquery logs one (the shell prints it on stderr). */
  warn(message: string): void
}

/** An osquery table: its name, columns, hidden inputs and a generator over the live machine. */
export interface TableSpec {
  name: string
  columns: readonly ColumnSpec[]
  /** Hidden input columns: only `=` constraints reach them; they never appear in `SELECT *`. */
  hidden?: readonly string[]
  /**
   * Columns osquery defines for other platforms (`extended_schema(DARWIN, …)`): on Linux osquery
   * keeps them as hidden columns that are always NULL, and Fleet's cross-platform queries name them
   * (`os_version.extra`). Constraining one to a value matches no row.
   */
  foreign?: readonly string[]
  /** Whether the engine serves the table at all (default: always), e.g. orbit_info under orbit. */
  available?(engine: EngineContext): boolean
  rows(context: TableContext, args: HiddenArgs): Iterable<TableRow>
}

/** Builds a column list from a compact `name:TYPE` spec, e.g. `cols('pid:BIGINT name path')`. */
export function cols(spec: string): ColumnSpec[] {
  return spec
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const [name = '', type = 'TEXT'] = entry.split(':')
      return { name, type: toColumnType(type) }
    })
}

function toColumnType(type: string): ColumnType {
  switch (type) {
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'TEXT':
      return type
    default:
      throw new Error(`unknown column type ${type}`)
  }
}

/** Thrown by tables with a required column that the statement doesn't constrain. */
export class RequiredColumnError extends Error {
  constructor(readonly table: string) {
    super('constraint failed')
    this.name = 'RequiredColumnError'
  }
}

/** Integer from a decimal string, or undefined. */
export function toInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*-?\d+\s*$/.test(value)) {
    return undefined
  }
  return Number.parseInt(value, 10)
}
