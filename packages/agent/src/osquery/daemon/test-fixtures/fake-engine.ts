import type { Engine, QueryOutcome, Row } from '../../engine/engine.js'

/** Test double for the engine: exact SQL answers, else `SELECT cols FROM table` over fixed rows. */
export interface FakeEngine extends Engine {
  /** Every statement run, in order. */
  readonly queries: string[]
  /** Replaces a table's rows. */
  setTable(name: string, rows: Row[]): void
}

function project(rows: Row[], columns: string): Row[] {
  if (columns.trim() === '*') {
    return rows.map((row) => ({ ...row }))
  }
  const picks = columns.split(',').map((part) => {
    const match = /^\s*(\w+)(?:\s+AS\s+(\w+))?\s*$/i.exec(part)
    return { from: match?.[1] ?? part.trim(), as: match?.[2] ?? match?.[1] ?? part.trim() }
  })
  return rows.map((row) => Object.fromEntries(picks.map((p) => [p.as, row[p.from] ?? ''])))
}

/**
 * A fake engine for daemon tests. `answers` maps exact SQL to an outcome; otherwise simple
 * `SELECT a, b AS c FROM t` statements read `tables`, and anything else fails like SQLite.
 */
export function fakeEngine(
  tables: Record<string, Row[]> = {},
  answers: Record<string, QueryOutcome> = {},
): FakeEngine {
  const data = new Map(Object.entries(tables))
  const queries: string[] = []
  return {
    queries,
    setTable: (name, rows) => data.set(name, rows),
    query(sql) {
      queries.push(sql)
      const answer = answers[sql]
      if (answer) {
        return answer
      }
      const match = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)\s*;?\s*$/is.exec(sql)
      if (!match?.[1] || !match[2]) {
        return { status: 1, error: `near "${sql.slice(0, 10)}": syntax error` }
      }
      const rows = data.get(match[2])
      if (!rows) {
        return { status: 1, error: `no such table: ${match[2]}` }
      }
      return { status: 0, rows: project(rows, match[1]) }
    },
    tables: () => [...data.keys()].sort(),
    close: () => undefined,
  }
}
