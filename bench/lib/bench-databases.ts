import mysql from 'mysql2/promise'
import pg from 'pg'
import type { DbTarget } from '../../packages/server/src/platform/db/index.js'

/**
 * A fresh database for a benchmark's `fleet serve` on MariaDB (127.0.0.1:3306, root) or
 * PostgreSQL (127.0.0.1:5432, postgres), as CI's servers are set up; SQLite needs none (the
 * server creates `fleet.db` in its data directory).
 */
export interface BenchDatabase {
  /** `FLEET_*` settings pointing the server at it. */
  env: Record<string, string>
  /** The same database for the benchmark's own connection (bulk inserts). */
  target: DbTarget
  drop(): Promise<void>
}

export async function createBenchDatabase(
  backend: 'sqlite' | 'mysql' | 'postgres',
  name: string,
  dataDir: string,
): Promise<BenchDatabase> {
  switch (backend) {
    case 'sqlite':
      return {
        env: {},
        target: { dialect: 'sqlite', path: `${dataDir}/fleet.db` },
        drop: async () => undefined,
      }
    case 'mysql': {
      const admin = { host: '127.0.0.1', port: 3306, user: 'root' }
      const run = async (statement: string) => {
        const conn = await mysql.createConnection(admin)
        await conn.query(statement)
        await conn.end()
      }
      await run(`DROP DATABASE IF EXISTS \`${name}\``)
      await run(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
      return {
        env: {
          FLEET_MYSQL_ADDRESS: '127.0.0.1:3306',
          FLEET_MYSQL_USERNAME: 'root',
          FLEET_MYSQL_DATABASE: name,
        },
        target: { dialect: 'mysql', ...admin, password: '', database: name, maxConnections: 4 },
        drop: () => run(`DROP DATABASE IF EXISTS \`${name}\``),
      }
    }
    case 'postgres': {
      const admin = { host: '127.0.0.1', port: 5432, user: 'postgres', password: '' }
      const run = async (statement: string) => {
        const client = new pg.Client({ ...admin, database: 'postgres' })
        await client.connect()
        await client.query(statement)
        await client.end()
      }
      await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await run(`CREATE DATABASE "${name}"`)
      return {
        env: {
          FLEET_POSTGRES_ADDRESS: '127.0.0.1:5432',
          FLEET_POSTGRES_USERNAME: 'postgres',
          FLEET_POSTGRES_DATABASE: name,
        },
        target: { dialect: 'postgres', ...admin, database: name, ssl: false, maxConnections: 4 },
        drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      }
    }
  }
}
