import { sql, type Kysely } from 'kysely'
import { dialectOf } from './helpers-v1.js'

/**
 * The host search (`query=` on the host list and count) matches `%term%` in hostname, computer
 * name, serial, UUID and primary IP: a scan of every host that no B-tree can serve (B7: 337 ms at
 * p99 with 120,000 hosts on SQLite). A trigram index finds the candidates instead:
 * - SQLite: an FTS5 table with the trigram tokenizer over those five columns, external content
 *   (`hosts` itself, so no copy of the text), kept in step by triggers on `hosts`;
 * - PostgreSQL: pg_trgm GIN indexes over the same `lower(column)` expressions the search uses;
 * - MySQL/MariaDB: nothing here. MariaDB has no n-gram full-text parser, and a covering index over
 *   the five columns exceeds InnoDB's 3,072-byte key limit (and would not save the per-row LIKE).
 * The search keeps its `LIKE` conditions, so the results stay the same (host-list-search.ts).
 * Imports nothing of ours but the v1 helpers: this file must read the same for as long as it exists.
 */
const COLUMNS = ['hostname', 'computer_name', 'hardware_serial', 'uuid', 'primary_ip'] as const

export async function up(db: Kysely<unknown>): Promise<void> {
  switch (dialectOf(db)) {
    case 'sqlite':
      return upSqlite(db)
    case 'postgres':
      await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db)
      // One index per column: the planner costs a scan of a five-column GIN index as a scan of all
      // of it per condition, and preferred the sequential scan.
      for (const column of COLUMNS) {
        await sql
          .raw(
            `CREATE INDEX hosts_search_${column} ON hosts USING gin (lower(${column}) gin_trgm_ops)`,
          )
          .execute(db)
      }
      return
    case 'mysql':
      return
  }
}

async function upSqlite(db: Kysely<unknown>): Promise<void> {
  const columns = COLUMNS.join(', ')
  const values = (row: 'new' | 'old') => COLUMNS.map((c) => `${row}.${c}`).join(', ')
  const changed = COLUMNS.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ')
  const statements = [
    `CREATE VIRTUAL TABLE hosts_search USING fts5(${columns}, content='hosts', content_rowid='id', tokenize='trigram')`,
    `CREATE TRIGGER hosts_search_insert AFTER INSERT ON hosts BEGIN
       INSERT INTO hosts_search(rowid, ${columns}) VALUES (new.id, ${values('new')}); END`,
    `CREATE TRIGGER hosts_search_delete AFTER DELETE ON hosts BEGIN
       INSERT INTO hosts_search(hosts_search, rowid, ${columns}) VALUES ('delete', old.id, ${values('old')}); END`,
    // Only when a searched column changes: check-ins update hosts constantly, names rarely.
    `CREATE TRIGGER hosts_search_update AFTER UPDATE OF ${columns} ON hosts WHEN ${changed} BEGIN
       INSERT INTO hosts_search(hosts_search, rowid, ${columns}) VALUES ('delete', old.id, ${values('old')});
       INSERT INTO hosts_search(rowid, ${columns}) VALUES (new.id, ${values('new')}); END`,
    `INSERT INTO hosts_search(hosts_search) VALUES ('rebuild')`,
  ]
  for (const statement of statements) {
    await sql.raw(statement).execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  switch (dialectOf(db)) {
    case 'sqlite':
      for (const trigger of ['insert', 'delete', 'update']) {
        await sql.raw(`DROP TRIGGER hosts_search_${trigger}`).execute(db)
      }
      await sql`DROP TABLE hosts_search`.execute(db)
      return
    case 'postgres':
      // The extension stays: other schemas of the database may use it.
      for (const column of COLUMNS) {
        await db.schema.dropIndex(`hosts_search_${column}`).execute()
      }
      return
    case 'mysql':
      return
  }
}
