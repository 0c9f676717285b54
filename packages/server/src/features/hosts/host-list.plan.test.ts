import Database from 'better-sqlite3'
import { CompiledQuery, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database as Tables } from '../../db/database.js'
import { createKysely } from '../../platform/db/index.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { buildHost, buildLabel, buildTeam } from '../../test-utils/factories.js'
import { countHosts, listHosts } from './host-list.store.js'

/** SQLite's plan of `statement`, one line per step, every parameter bound to 1. */
function sqlitePlan(path: string, statement: string): string {
  const raw = new Database(path, { readonly: true })
  try {
    const explain = raw.prepare(`EXPLAIN QUERY PLAN ${statement}`)
    return explain
      .all(...Array.from({ length: (statement.match(/\?/g) ?? []).length }, () => 1))
      .map((row) => String(Object(row).detail))
      .join('\n')
  } finally {
    raw.close()
  }
}

/**
 * The admin's first page of a team's hosts by name must be read in index order, not sorted
 * (B7: it grew with the fleet). Checked on SQLite's query plan, the one planner whose choice does
 * not depend on gathered statistics.
 */
describe('host list query plan [sqlite]', () => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
  })
  afterAll(() => database.drop())

  it("reads a team's first page by name from an index, without sorting the team", async () => {
    const team = await buildTeam(database.db)
    await buildHost(database.db, { teamId: team.id })
    const before = database.queries.length
    await listHosts(
      database.db,
      { now: Date.now(), teamId: team.id },
      { orderKey: 'hostname', direction: 'asc', offset: 0, limit: 50 },
    )
    const [statement] = database.queries.slice(before)
    if (database.target.dialect !== 'sqlite' || statement === undefined) {
      throw new Error('expected the list statement on SQLite')
    }
    const plan = sqlitePlan(database.target.path, statement)
    expect(plan).toContain('hosts_team_id_hostname')
    expect(plan).not.toContain('TEMP B-TREE FOR ORDER BY')
  })

  it('reads the first page by display name from its index, in both directions', async () => {
    await buildHost(database.db)
    for (const direction of ['asc', 'desc'] as const) {
      const before = database.queries.length
      await listHosts(
        database.db,
        { now: Date.now() },
        { orderKey: 'display_name', direction, offset: 0, limit: 20 },
      )
      const [statement] = database.queries.slice(before)
      if (database.target.dialect !== 'sqlite' || statement === undefined) {
        throw new Error('expected the list statement on SQLite')
      }
      const plan = sqlitePlan(database.target.path, statement)
      expect(plan).toContain('hosts_display_name')
      expect(plan).not.toContain('TEMP B-TREE FOR ORDER BY')
    }
  })

  it("finds a search's hosts through the trigram table, without scanning the hosts", async () => {
    for (const run of [
      () => countHosts(database.db, { now: Date.now(), query: 'host-42' }),
      () =>
        listHosts(
          database.db,
          { now: Date.now(), query: 'host-42' },
          { orderKey: 'hostname', direction: 'asc', offset: 0, limit: 50 },
        ),
    ]) {
      const before = database.queries.length
      await run()
      const [statement] = database.queries.slice(before)
      if (database.target.dialect !== 'sqlite' || statement === undefined) {
        throw new Error('expected the search statement on SQLite')
      }
      const plan = sqlitePlan(database.target.path, statement)
      expect(plan).toMatch(/SCAN hosts_search VIRTUAL TABLE/)
      expect(plan).not.toMatch(/SCAN hosts\b(?!_search)/)
    }
  })
})

/**
 * PostgreSQL serves the search's `lower(column) LIKE` conditions from the pg_trgm indexes: with
 * plain index and sequential scans priced out, only a bitmap scan of those indexes remains, and
 * the planner takes it only if each index's expression is the one the statement uses. MySQL looks
 * the term's trigrams up in `hosts_search_trigrams` by its primary key.
 */
describe.each(DIALECTS.filter((d) => d !== 'sqlite'))('host list query plan [%s]', (dialect) => {
  let database: TestDatabase
  let db: Kysely<Tables>
  const statements: { sql: string; parameters: readonly unknown[] }[] = []

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    db = createKysely<Tables>(database.target, {
      onQuery: (sql, parameters) => statements.push({ sql, parameters }),
    })
  })
  afterAll(async () => {
    await db.destroy()
    await database.drop()
  })

  /** The plan of the search's count statement, as rows of EXPLAIN's output. */
  /** The plan of the statement `run` sends last, after `settings` on the same connection. */
  async function explainLast(
    run: () => Promise<unknown>,
    settings: string[],
  ): Promise<Record<string, unknown>[]> {
    await run()
    const statement = statements.at(-1)
    if (statement === undefined) {
      throw new Error('expected a statement')
    }
    return db.connection().execute(async (connection) => {
      for (const setting of settings) {
        await connection.executeQuery(CompiledQuery.raw(setting))
      }
      const plan = await connection.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(`EXPLAIN ${statement.sql}`, [...statement.parameters]),
      )
      return plan.rows
    })
  }

  const explainSearch = (settings: string[]) =>
    explainLast(() => countHosts(db, { now: Date.now(), query: 'host-42' }), settings)

  /** The plan of the first page of hosts by display name. */
  const explainDisplayNamePage = (settings: string[]) =>
    explainLast(
      () =>
        listHosts(
          db,
          { now: Date.now() },
          { orderKey: 'display_name', direction: 'asc', offset: 0, limit: 20 },
        ),
      settings,
    )

  it('reads the first page by display name from its index, not by sorting every host', async () => {
    if (dialect === 'postgres') {
      const rows = await explainDisplayNamePage([
        'SET enable_seqscan = off',
        'SET enable_sort = off',
      ])
      const plan = rows.map((row) => String(row['QUERY PLAN'])).join('\n')
      expect(plan).toContain('hosts_display_name')
      expect(plan).not.toMatch(/\bSort\b/)
      return
    }
    const rows = await explainDisplayNamePage([])
    const page = rows.find((row) => row.table === 'hosts' && row.select_type === 'DERIVED')
    expect(page?.key).toBe('hosts_display_name')
    expect(String(page?.Extra ?? '')).not.toContain('filesort')
  })

  it.runIf(dialect === 'mysql')(
    "reads whole rows only for the page's hosts, not for every member of a label",
    async () => {
      const label = await buildLabel(db, { name: 'plan label' })
      const rows = await explainLast(
        () =>
          listHosts(
            db,
            { now: Date.now(), labelId: label.id },
            { orderKey: 'hostname', direction: 'asc', offset: 0, limit: 50 },
          ),
        [],
      )
      // the outer select joins the page (a derived table) to hosts; the label is read only inside it
      const outer = rows.filter((row) => row.id === 1)
      const tables = outer.map((row) => String(row.table).replace(/^<derived\d+>$/, 'page'))
      expect(tables.sort()).toEqual(['hosts', 'page'])
      const members = rows.filter((row) => row.table === 'label_membership')
      expect(members.length).toBeGreaterThan(0)
      expect(members.every((row) => Number(row.id) > 1)).toBe(true)
    },
  )

  it.runIf(dialect === 'postgres')(
    'reads the searched columns from their trigram indexes',
    async () => {
      const rows = await explainSearch(['SET enable_seqscan = off', 'SET enable_indexscan = off'])
      const plan = rows.map((row) => String(row['QUERY PLAN'])).join('\n')
      for (const column of ['hostname', 'computer_name', 'hardware_serial', 'uuid', 'primary_ip']) {
        expect(plan).toContain(`Bitmap Index Scan on hosts_search_${column}`)
      }
      expect(plan).not.toContain('Seq Scan on hosts')
    },
  )

  it.runIf(dialect === 'mysql')(
    "looks the term's trigrams up by the trigram table's key",
    async () => {
      const rows = await explainSearch([])
      const trigrams = rows.filter((row) => row.table === 'hosts_search_trigrams')
      expect(trigrams.length).toBeGreaterThan(0)
      for (const row of trigrams) {
        expect(row.key).toBe('PRIMARY')
      }
    },
  )
})
