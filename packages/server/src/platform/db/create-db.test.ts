import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { createEmptyDatabase, DIALECTS } from '../../test-utils/databases.js'
import { createKysely } from './create-db.js'

const selectOne = sql<{ one: number }>`select 1 as one`

describe.runIf(DIALECTS.includes('postgres'))('createKysely [postgres]', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup()
    }
  })

  it('reports an idle connection the server terminated, and reconnects on next use', async () => {
    const empty = await createEmptyDatabase('postgres')
    cleanups.push(empty.drop)
    const lost: Error[] = []
    const db = createKysely(empty.target, { onIdleConnectionError: (err) => lost.push(err) })
    cleanups.push(() => db.destroy())
    const backend = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)
    const pid = backend.rows[0]?.pid
    if (empty.target.dialect !== 'postgres' || pid === undefined) {
      throw new Error('expected a PostgreSQL target and a backend pid')
    }

    const admin = new pg.Client({ ...empty.target, database: 'postgres' })
    await admin.connect()
    await admin.query('select pg_terminate_backend($1)', [pid])
    await admin.end()
    await expect.poll(() => lost.length).toBe(1)

    expect((await selectOne.execute(db)).rows).toEqual([{ one: 1 }])
  })
})
