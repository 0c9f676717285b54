import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { refuseInUnitTests } from '@fleet/test-support'
import type { Kysely } from 'kysely'
import mysql from 'mysql2/promise'
import pg from 'pg'
import type { Database } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createKysely, type Dialect, type DbTarget } from '../platform/db/index.js'

/**
 * Dialects the store tests run on: `DIALECTS=sqlite,mysql,postgres` (default sqlite). A dialect
 * that is asked for and can't be reached fails the test run; it never skips silently.
 */
export const DIALECTS: Dialect[] = (process.env.DIALECTS ?? 'sqlite').split(',').map((name) => {
  const trimmed = name.trim()
  if (trimmed !== 'sqlite' && trimmed !== 'mysql' && trimmed !== 'postgres') {
    throw new Error(`DIALECTS: unknown dialect "${trimmed}" (use sqlite, mysql, postgres)`)
  }
  return trimmed
})

function hostPort(text: string, port: number): { host: string; port: number } {
  const [host, p] = text.split(':')
  return { host: host || '127.0.0.1', port: p ? Number(p) : port }
}

const MYSQL = {
  ...hostPort(process.env.TEST_MYSQL_ADDRESS ?? '127.0.0.1:3306', 3306),
  user: process.env.TEST_MYSQL_USER ?? 'root',
  password: process.env.TEST_MYSQL_PASSWORD ?? '',
}
const POSTGRES = {
  ...hostPort(process.env.TEST_POSTGRES_ADDRESS ?? '127.0.0.1:5432', 5432),
  user: process.env.TEST_POSTGRES_USER ?? 'postgres',
  password: process.env.TEST_POSTGRES_PASSWORD ?? '',
}

export interface TestDatabase {
  /** Statements run so far (read it before and after a request to count its SQL). */
  queries: string[]
  dialect: Dialect
  target: DbTarget
  db: Kysely<Database>
  /** Closes the connection and deletes the database. */
  drop(): Promise<void>
}

function unreachable(what: string, err: unknown): Error {
  return new Error(
    `DIALECTS asks for ${what}, which can't be reached: ${err instanceof Error ? err.message : String(err)}`,
  )
}

/** An empty database of one dialect, created for one test file. Not migrated. */
export async function createEmptyDatabase(
  dialect: Dialect,
): Promise<Omit<TestDatabase, 'db' | 'queries'>> {
  refuseInUnitTests('open a test database')
  const name = `fleet_test_${process.pid}_${randomBytes(4).toString('hex')}`
  switch (dialect) {
    case 'sqlite': {
      const dir = mkdtempSync(join(tmpdir(), 'fleet-test-'))
      return {
        dialect,
        target: { dialect, path: join(dir, 'fleet.db') },
        drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
      }
    }
    case 'mysql': {
      const admin = await mysql.createConnection({ ...MYSQL }).catch((err: unknown) => {
        throw unreachable(`MySQL/MariaDB at ${MYSQL.host}:${MYSQL.port}`, err)
      })
      await admin.query(
        `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      )
      await admin.end()
      return {
        dialect,
        target: { dialect, ...MYSQL, database: name, maxConnections: 5 },
        drop: async () => {
          const conn = await mysql.createConnection({ ...MYSQL })
          await conn.query(`DROP DATABASE IF EXISTS \`${name}\``)
          await conn.end()
        },
      }
    }
    case 'postgres': {
      const admin = new pg.Client({ ...POSTGRES, database: 'postgres' })
      await admin.connect().catch((err: unknown) => {
        throw unreachable(`PostgreSQL at ${POSTGRES.host}:${POSTGRES.port}`, err)
      })
      await admin.query(`CREATE DATABASE "${name}"`)
      await admin.end()
      return {
        dialect,
        target: { dialect, ...POSTGRES, database: name, ssl: false, maxConnections: 5 },
        drop: async () => {
          const conn = new pg.Client({ ...POSTGRES, database: 'postgres' })
          await conn.connect()
          await conn.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
          await conn.end()
        },
      }
    }
  }
}

/** A migrated database of one dialect; call `drop()` in afterAll. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const empty = await createEmptyDatabase(dialect)
  const queries: string[] = []
  const db = createKysely<Database>(empty.target, {
    onQuery: (sql) => queries.push(sql),
    // drop() force-terminates connections the pool is still closing; that is expected here.
    onIdleConnectionError: () => undefined,
  })
  await migrateToLatest(db)
  return {
    ...empty,
    queries,
    db,
    drop: async () => {
      await db.destroy()
      await empty.drop()
    },
  }
}
