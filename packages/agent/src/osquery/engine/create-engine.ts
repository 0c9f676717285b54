import Database from 'better-sqlite3'
import { availableParallelism, hostname, machine, networkInterfaces } from 'node:os'
import { toSqliteRow, toWire, type SqliteCell } from './cells.js'
import type { Engine, EngineContext, QueryOutcome, Row } from './engine.js'
import { HostFs } from './host-fs.js'
import { deniedStatement } from './sql-authorizer.js'
import { registerSqlFunctions } from './sql-functions.js'
import { constraintHints, splitStatements, type ConstraintHint } from './sql-scan.js'
import {
  RequiredColumnError,
  type HiddenArgs,
  type HostProbe,
  type TableContext,
  type TableSpec,
} from './table.js'
import { allTables } from './tables/index.js'

/** How to build an engine; every field is optional and defaults to the real machine. */
export interface EngineOptions {
  /** Filesystem root for /proc, /sys, /etc, /var reads (tests point it at a fixture directory). */
  root?: string
  /** Replaces parts of the host probe (network interfaces, hostname, clock…). */
  probe?: Partial<HostProbe>
  /** Receives the warnings osquery would log (a required column missing, …). */
  onWarning?: (message: string) => void
  /** The tables to serve; defaults to every table in tables/. */
  tables?: readonly TableSpec[]
}

interface StatementState {
  hints: ConstraintHint[]
  /** Rows generated during the running statement, per table and hidden arguments. */
  cache: Map<string, SqliteCell[][]>
}

function defaultProbe(): HostProbe {
  return {
    networkInterfaces,
    arch: machine,
    hostname,
    pid: process.pid,
    logicalCpus: availableParallelism,
    now: Date.now,
  }
}

function argsOf(spec: TableSpec, values: unknown[]): HiddenArgs {
  const args: HiddenArgs = {}
  for (const [i, name] of (spec.hidden ?? []).entries()) {
    const value = values[i]
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
      args[name] = value
    }
  }
  return args
}

function registerTable(
  db: Database.Database,
  spec: TableSpec,
  context: TableContext,
  state: StatementState,
): void {
  db.table(spec.name, {
    columns: spec.columns.map((column) => column.name),
    parameters: [...(spec.hidden ?? []), ...(spec.foreign ?? [])],
    // SQLite re-scans the inner table of a join once per outer row; generate once per statement.
    rows: function* (...values: unknown[]) {
      const foreignArgs = values.slice(spec.hidden?.length ?? 0)
      if (foreignArgs.some((value) => value !== undefined)) {
        return // `foreign_column = x` is never true: the column is NULL on Linux.
      }
      const key = `${spec.name}\u0000${values.map(String).join('\u0000')}`
      let rows = state.cache.get(key)
      if (!rows) {
        rows = []
        for (const row of spec.rows(context, argsOf(spec, values))) {
          rows.push(toSqliteRow(row, spec.columns))
        }
        state.cache.set(key, rows)
      }
      yield* rows
    },
  })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function toWireRow(raw: unknown): Row {
  const row: Row = {}
  if (isRecord(raw)) {
    for (const [name, value] of Object.entries(raw)) {
      row[name] = toWire(value)
    }
  }
  return row
}

function runStatements(db: Database.Database, sql: string, state: StatementState): Row[] {
  const statements = splitStatements(sql)
  // Check every statement first: a refused one must not run after its allowed neighbours did.
  for (const statement of statements) {
    const denied = deniedStatement(statement)
    if (denied) {
      throw new Error(denied)
    }
  }
  const rows: Row[] = []
  for (const statement of statements) {
    state.cache.clear()
    state.hints = constraintHints(statement, ['path', 'directory', 'admindir'])
    const prepared = db.prepare(statement)
    if (!prepared.reader) {
      prepared.run()
      continue
    }
    for (const raw of prepared.safeIntegers(true).iterate()) {
      rows.push(toWireRow(raw))
    }
  }
  return rows
}

/**
 * Opens the osquery-compatible engine: an in-memory SQLite database (query-only) with osquery's
 * SQL functions and one eponymous virtual table per osquery table, each reading the live machine.
 *
 * @example
 * const engine = createEngine(context)
 * engine.query("SELECT name FROM processes WHERE pid = 1") // { status: 0, rows: [{ name: 'init' }] }
 */
export function createEngine(context: EngineContext, options: EngineOptions = {}): Engine {
  const db = new Database(':memory:')
  registerSqlFunctions(db)
  const specs = (options.tables ?? allTables()).filter((spec) => spec.available?.(context) ?? true)
  const names = specs.map((spec) => spec.name).sort()
  const state: StatementState = { hints: [], cache: new Map() }
  const warn = (message: string): void => options.onWarning?.(message)
  const tableContext: TableContext = {
    fs: new HostFs(options.root),
    probe: { ...defaultProbe(), ...options.probe },
    engine: context,
    hints: () => state.hints,
    tableNames: () => names,
    warn,
  }
  for (const spec of specs) {
    registerTable(db, spec, tableContext, state)
  }
  // Queries may read only: a live query must not leave tables behind for the next one.
  db.pragma('query_only = ON')

  const query = (sql: string): QueryOutcome => {
    try {
      return { status: 0, rows: runStatements(db, sql, state) }
    } catch (err) {
      if (err instanceof RequiredColumnError) {
        warn(`Table ${err.table} was queried without a required column in the WHERE clause`)
      }
      return { status: 1, error: err instanceof Error ? err.message : String(err) }
    } finally {
      state.cache.clear()
      state.hints = []
    }
  }
  return { query, tables: () => [...names], close: () => db.close() }
}
