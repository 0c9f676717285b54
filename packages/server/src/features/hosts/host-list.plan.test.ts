import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test-utils/databases.js'
import { buildHost, buildTeam } from '../../test-utils/factories.js'
import { listHosts } from './host-list.store.js'

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
    const raw = new Database(database.target.path, { readonly: true })
    try {
      const explain = raw.prepare(`EXPLAIN QUERY PLAN ${statement}`)
      const plan = explain
        .all(...Array.from({ length: (statement.match(/\?/g) ?? []).length }, () => 1))
        .map((row) => String(Object(row).detail))
      expect(plan.join('\n')).toContain('hosts_team_id_hostname')
      expect(plan.join('\n')).not.toContain('TEMP B-TREE FOR ORDER BY')
    } finally {
      raw.close()
    }
  })
})
