import Database from 'better-sqlite3'
import { sql } from 'kysely'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createKysely } from './create-db.js'
import { startSqliteCheckpointer } from './sqlite-checkpointer.js'

describe('SQLite WAL checkpoints on a worker thread', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup()
    }
  })
  const tempDb = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-checkpoint-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    return join(dir, 'fleet.db')
  }

  it('copies committed WAL frames into the database file without the writer doing it', async () => {
    const path = tempDb()
    const writer = new Database(path)
    cleanups.push(() => {
      writer.close()
    })
    writer.pragma('journal_mode = WAL')
    writer.pragma('wal_autocheckpoint = 0')
    writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)')
    const insert = writer.prepare('INSERT INTO t (body) VALUES (?)')
    for (let i = 0; i < 200; i++) {
      insert.run('x'.repeat(2_000))
    }
    // Everything is still in the WAL: the writer never checkpoints.
    const before = statSync(path).size
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(400_000)

    const checkpointer = startSqliteCheckpointer(path, { intervalMs: 60_000 })
    cleanups.push(() => checkpointer.stop())
    await checkpointer.checkpointNow()
    expect(statSync(path).size).toBeGreaterThan(before + 400_000)
    // The writer goes on; its reads see every row.
    insert.run('after')
    expect(writer.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 201 })
  })

  it('is what createKysely sets up when asked: no checkpoint inside commits, worker stops with the database', async () => {
    const path = tempDb()
    const errors: string[] = []
    const db = createKysely<{ t: { id: number } }>(
      { dialect: 'sqlite', path },
      { sqliteBackgroundCheckpoint: { onError: (message) => errors.push(message) } },
    )
    await sql`CREATE TABLE t (id INTEGER PRIMARY KEY)`.execute(db)
    await db.insertInto('t').values({ id: 1 }).execute()
    const setting = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db)
    expect(setting.rows).toEqual([{ wal_autocheckpoint: 0 }])
    await db.destroy()
    expect(errors).toEqual([])
    // Closed cleanly: a new connection reads the row.
    const reader = new Database(path, { readonly: true })
    expect(reader.prepare('SELECT id FROM t').all()).toEqual([{ id: 1 }])
    reader.close()
  })
})
