import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { buildHost } from '../../test-utils/factories.js'
import { listHostsByIds } from './host-list.store.js'

/**
 * A bulk action over every host (select all, then transfer or delete) names each host's id: more
 * ids than SQLite (32,766) or PostgreSQL (65,535) take as bound parameters in one statement.
 */
describe.each(DIALECTS)('hosts by ids [%s]', (dialect) => {
  let database: TestDatabase
  const now = Date.now()
  const ids: number[] = []

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    for (const name of ['a', 'b', 'c']) {
      ids.push((await buildHost(database.db, { vitals: { uuid: `uuid-${name}` } })).id)
    }
  })
  afterAll(() => database.drop())

  it('reads the hosts of 70,000 ids, ignoring ids of no host', async () => {
    const absent = Array.from({ length: 70_000 }, (_, i) => 1_000_000 + i)
    const hosts = await listHostsByIds(database.db, { now }, [ids[2] ?? 0, ...absent, ids[0] ?? 0])
    expect(hosts.map((h) => h.id).sort((x, y) => x - y)).toEqual([ids[0], ids[2]])
  })
})
