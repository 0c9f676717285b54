import { sql } from 'kysely'
import pg from 'pg'
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

describe('createKysely [sqlite file]', () => {
  const root = mkdtempSync(join(tmpdir(), 'fleet-db-perms-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const mode = (path: string) => statSync(path).mode & 0o777

  it('creates the data directory 0700 and the database, WAL and SHM files 0600', async () => {
    const path = join(root, 'new', 'data', 'fleet.db')
    const db = createKysely({ dialect: 'sqlite', path })
    try {
      await sql`create table t (a integer)`.execute(db)
      await sql`insert into t values (1)`.execute(db)
      expect(mode(join(root, 'new', 'data'))).toBe(0o700)
      expect(mode(path)).toBe(0o600)
      expect(existsSync(`${path}-wal`)).toBe(true)
      expect(mode(`${path}-wal`)).toBe(0o600)
      expect(mode(`${path}-shm`)).toBe(0o600)
    } finally {
      await db.destroy()
    }
  })

  it('tightens an existing database file that others could read', async () => {
    const path = join(root, 'old.db')
    writeFileSync(path, '')
    chmodSync(path, 0o644)
    const db = createKysely({ dialect: 'sqlite', path })
    try {
      await db.executeQuery(selectOne.compile(db))
      expect(mode(path)).toBe(0o600)
    } finally {
      await db.destroy()
    }
  })
})
