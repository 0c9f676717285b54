import type { Row } from '../engine/engine.js'
import type { StateDb } from './state-store.js'

/** Rows that appeared and disappeared since the previous run of a scheduled query. */
export interface DiffResults {
  added: Row[]
  removed: Row[]
}

/** What a differential run yields for the result log. */
export interface DifferentialOutcome extends DiffResults {
  /** osquery's per-query counter: 0 on the first run or after the query changed. */
  counter: number
}

/** The previous run of one scheduled query, as kept on disk. */
export interface StoredResults {
  query: string
  epoch: number
  counter: number
  rows: Row[]
}

/** A row's identity for multiset comparison: columns in a fixed order. */
function rowKey(row: Row): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((column) => [column, row[column]]),
  )
}

/**
 * osquery's set differential, counting duplicates: a row present twice before and once now is
 * removed once. Order of `added` follows `current`; order of `removed` follows `previous`.
 */
export function diffRows(previous: readonly Row[], current: readonly Row[]): DiffResults {
  const remaining = new Map<string, number>()
  for (const row of previous) {
    const key = rowKey(row)
    remaining.set(key, (remaining.get(key) ?? 0) + 1)
  }
  const added: Row[] = []
  for (const row of current) {
    const key = rowKey(row)
    const left = remaining.get(key) ?? 0
    if (left > 0) {
      remaining.set(key, left - 1)
    } else {
      added.push(row)
    }
  }
  const removed: Row[] = []
  for (const row of previous) {
    const key = rowKey(row)
    const left = remaining.get(key) ?? 0
    if (left > 0) {
      remaining.set(key, left - 1)
      removed.push(row)
    }
  }
  return { added, removed }
}

/**
 * osquery's Query::addNewResults as a pure step: given the stored previous run (if any), the
 * query text, epoch and the current rows, returns what to log and what to store.
 * - First run, or a new epoch: every row is added, counter 0.
 * - Query text changed: differential against the old rows, counter reset to 0.
 * - Otherwise: differential; the counter advances only when something changed.
 */
export function nextResults(
  previous: StoredResults | undefined,
  query: string,
  epoch: number,
  current: Row[],
): { outcome: DifferentialOutcome; store: StoredResults | undefined } {
  if (!previous || previous.epoch !== epoch) {
    return {
      outcome: { added: current, removed: [], counter: 0 },
      store: { query, epoch, counter: 0, rows: current },
    }
  }
  const diff = diffRows(previous.rows, current)
  const changed = diff.added.length > 0 || diff.removed.length > 0
  const newQuery = previous.query !== query
  if (!changed && !newQuery) {
    return { outcome: { ...diff, counter: previous.counter }, store: undefined }
  }
  const counter = newQuery ? 0 : previous.counter + 1
  return {
    outcome: { ...diff, counter },
    store: { query, epoch, counter, rows: current },
  }
}

function parseRows(text: string): Row[] {
  const value: unknown = JSON.parse(text)
  if (!Array.isArray(value)) {
    return []
  }
  const rows: Row[] = []
  for (const item of value) {
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      const row: Row = {}
      for (const [column, cell] of Object.entries(item)) {
        row[column] = typeof cell === 'string' ? cell : String(cell)
      }
      rows.push(row)
    }
  }
  return rows
}

/** Each scheduled query's previous results, on disk so a restart does not re-send everything. */
export class ResultStore {
  constructor(private readonly db: StateDb) {}

  /** The stored previous run of `name`, or undefined. */
  get(name: string): StoredResults | undefined {
    const row: unknown = this.db
      .prepare('SELECT query, epoch, counter, rows FROM query_results WHERE name = ?')
      .get(name)
    if (
      typeof row !== 'object' ||
      row === null ||
      !('query' in row && 'epoch' in row && 'counter' in row && 'rows' in row)
    ) {
      return undefined
    }
    try {
      return {
        query: String(row.query),
        epoch: Number(row.epoch),
        counter: Number(row.counter),
        rows: parseRows(String(row.rows)),
      }
    } catch {
      return undefined
    }
  }

  /** Stores the latest run of `name`. */
  put(name: string, stored: StoredResults): void {
    this.db
      .prepare(
        `INSERT INTO query_results (name, query, epoch, counter, rows) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET query = excluded.query, epoch = excluded.epoch,
           counter = excluded.counter, rows = excluded.rows`,
      )
      .run(name, stored.query, stored.epoch, stored.counter, JSON.stringify(stored.rows))
  }

  /** Runs one differential step for `name` and persists the new state. */
  record(name: string, query: string, epoch: number, current: Row[]): DifferentialOutcome {
    const { outcome, store } = nextResults(this.get(name), query, epoch, current)
    if (store) {
      this.put(name, store)
    }
    return outcome
  }
}
