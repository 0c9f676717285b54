import Database from 'better-sqlite3'
import {
  Kysely,
  MysqlDialect,
  PostgresDialect,
  SqliteDialect,
  type LogEvent,
  type SqliteDatabase,
} from 'kysely'
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { createPool as createMysqlPool } from 'mysql2'
import pg from 'pg'
import { startSqliteCheckpointer } from './sqlite-checkpointer.js'

/** Connection settings for one of the three supported databases. */
export type DbTarget =
  | { dialect: 'sqlite'; path: string }
  | {
      dialect: 'mysql'
      host: string
      port: number
      user: string
      password: string
      database: string
      maxConnections: number
    }
  | {
      dialect: 'postgres'
      host: string
      port: number
      user: string
      password: string
      database: string
      ssl: boolean
      maxConnections: number
    }

// PostgreSQL returns BIGINT (int8) as text; our bigints are millisecond timestamps and counts,
// all far below 2^53, so numbers are exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value))

/**
 * Creates the database file readable by its owner only (hosts' node keys, users' password hashes
 * and session keys live in it), in a directory created 0700, and tightens an existing file that
 * others can read. SQLite gives its -wal and -shm files the database file's permissions.
 */
function ensurePrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  closeSync(openSync(path, 'a', 0o600))
  if ((statSync(path).mode & 0o077) !== 0) {
    chmodSync(path, 0o600)
  }
}

function openSqlite(path: string): Database.Database {
  if (path !== ':memory:') {
    ensurePrivateFile(path)
  }
  const sqlite = new Database(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return sqlite
}

export interface KyselyOptions {
  /**
   * Called with every statement's SQL and parameters after it ran (tests count statements on hot
   * paths, and explain them).
   */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void
  /**
   * Called when an idle pooled PostgreSQL connection fails (server restart, admin termination).
   * The pool has already dropped it and opens a new one on next use; without a listener, `pg`
   * would throw the error and end the process.
   */
  onIdleConnectionError?: (err: Error) => void
  /**
   * SQLite: checkpoint the WAL on a worker thread instead of inside whichever commit crosses
   * SQLite's threshold (see `startSqliteCheckpointer`). For servers; a file database only.
   */
  sqliteBackgroundCheckpoint?: { onError: (message: string) => void }
}

/** The SQLite database Kysely drives; with a background checkpointer when asked. */
function sqliteDatabase(path: string, options: KyselyOptions): SqliteDatabase {
  const sqlite = openSqlite(path)
  if (!options.sqliteBackgroundCheckpoint || path === ':memory:') {
    return sqlite
  }
  sqlite.pragma('wal_autocheckpoint = 0')
  const checkpointer = startSqliteCheckpointer(path, options.sqliteBackgroundCheckpoint)
  return {
    prepare: (sql) => sqlite.prepare(sql),
    close: () => {
      void checkpointer.stop()
      sqlite.close()
    },
  }
}

/** Opens a Kysely instance over the target database. The caller owns `destroy()`. */
export function createKysely<DB>(target: DbTarget, options: KyselyOptions = {}): Kysely<DB> {
  const { onQuery } = options
  const log = onQuery
    ? { log: (event: LogEvent) => onQuery(event.query.sql, event.query.parameters) }
    : {}
  switch (target.dialect) {
    case 'sqlite':
      return new Kysely<DB>({
        ...log,
        dialect: new SqliteDialect({ database: sqliteDatabase(target.path, options) }),
      })
    case 'mysql':
      return new Kysely<DB>({
        ...log,
        dialect: new MysqlDialect({
          pool: createMysqlPool({
            host: target.host,
            port: target.port,
            user: target.user,
            password: target.password,
            database: target.database,
            connectionLimit: target.maxConnections,
            charset: 'utf8mb4_unicode_ci',
            timezone: 'Z',
            supportBigNumbers: true,
            bigNumberStrings: false,
          }),
        }),
      })
    case 'postgres': {
      const pool = new pg.Pool({
        host: target.host,
        port: target.port,
        user: target.user,
        password: target.password,
        database: target.database,
        max: target.maxConnections,
        ssl: target.ssl ? { rejectUnauthorized: true } : undefined,
      })
      pool.on('error', (err) => options.onIdleConnectionError?.(err))
      return new Kysely<DB>({ ...log, dialect: new PostgresDialect({ pool }) })
    }
  }
}
