import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { allRefreshTimes, deleteRefreshTimes, writeRefreshTimes } from './refresh-times.store.js'

describe.each(DIALECTS)('refresh times store [%s]', (dialect) => {
  let database: TestDatabase
  beforeEach(async () => {
    database = await createTestDatabase(dialect)
  })
  afterEach(() => database.drop())

  const sorted = async () =>
    (await allRefreshTimes(database.db)).sort(
      (a, b) => a.hostId - b.hostId || a.provider.localeCompare(b.provider),
    )

  it('inserts new rows and updates existing ones in one batch write', async () => {
    await writeRefreshTimes(database.db, [
      { hostId: 1, provider: 'labels', since: 100, refreshedAt: 100 },
      { hostId: 1, provider: 'policies', since: 100, refreshedAt: 50 },
    ])
    await writeRefreshTimes(database.db, [
      { hostId: 1, provider: 'labels', since: 300, refreshedAt: 100 },
      { hostId: 2, provider: 'labels', since: 200, refreshedAt: 200 },
    ])
    expect(await sorted()).toEqual([
      { hostId: 1, provider: 'labels', since: 300, refreshedAt: 100 },
      { hostId: 1, provider: 'policies', since: 100, refreshedAt: 50 },
      { hostId: 2, provider: 'labels', since: 200, refreshedAt: 200 },
    ])
  })

  it('writes more rows than one statement takes', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => ({
      hostId: 1000 + i,
      provider: 'labels',
      since: i,
      refreshedAt: i,
    }))
    await writeRefreshTimes(database.db, rows)
    expect(await sorted()).toEqual(rows)
  })

  it("deletes hosts' rows", async () => {
    await writeRefreshTimes(database.db, [
      { hostId: 1, provider: 'labels', since: 300, refreshedAt: 100 },
      { hostId: 1, provider: 'policies', since: 100, refreshedAt: 50 },
      { hostId: 2, provider: 'labels', since: 200, refreshedAt: 200 },
    ])
    await deleteRefreshTimes(database.db, [1])
    expect(await sorted()).toEqual([
      { hostId: 2, provider: 'labels', since: 200, refreshedAt: 200 },
    ])
  })
})
