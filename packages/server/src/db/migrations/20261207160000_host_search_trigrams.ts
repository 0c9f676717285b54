import { sql, type Kysely } from 'kysely'
import { dialectOf, withTableOptions } from './helpers-v1.js'

/**
 * The host search on MySQL/MariaDB (SQLite and PostgreSQL got their trigram indexes in
 * 20261207153000_host_search_index): MariaDB has no n-gram full-text parser, so a table of each
 * host's trigrams — every three-character window of hostname, computer name, serial, UUID and
 * primary IP — kept by triggers on `hosts`. Its `trigram` column has the hosts' collation
 * (utf8mb4_unicode_ci), so looking a term's trigram up matches what that collation's `LIKE` would
 * (case and accents folded); the search still runs its `LIKE` conditions on the hosts found.
 * Imports nothing of ours but the v1 helpers: this file must read the same for as long as it exists.
 */
const COLUMNS = ['hostname', 'computer_name', 'hardware_serial', 'uuid', 'primary_ip'] as const

/** The searched columns are at most 255 characters: at most 253 windows each. */
const MAX_WINDOWS = 253

/** Inserts the trigrams of the rows `source` selects as `(id, v)`: one row per searched value. */
function insertTrigrams(source: string): string {
  return `INSERT IGNORE INTO hosts_search_trigrams (trigram, host_id)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MAX_WINDOWS})
    SELECT SUBSTRING(c.v, n.i, 3), c.id FROM (${source}) c JOIN n ON n.i <= CHAR_LENGTH(c.v) - 2`
}

/** The new row's values, inside a trigger. */
const NEW_ROW = COLUMNS.map((c) => `SELECT NEW.id AS id, NEW.${c} AS v`).join(' UNION ALL ')

/** Every host's values, for the backfill. */
const ALL_ROWS = COLUMNS.map((c) => `SELECT id, ${c} AS v FROM hosts`).join(' UNION ALL ')

export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'mysql') {
    return
  }
  await withTableOptions(
    db.schema
      .createTable('hosts_search_trigrams')
      .addColumn('trigram', 'varchar(3)', (c) => c.notNull())
      .addColumn('host_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('hosts_search_trigrams_pk', ['trigram', 'host_id']),
    'mysql',
  ).execute()
  await db.schema
    .createIndex('hosts_search_trigrams_host_id')
    .on('hosts_search_trigrams')
    .column('host_id')
    .execute()
  const changed = COLUMNS.map((c) => `NOT (OLD.${c} <=> NEW.${c})`).join(' OR ')
  const statements = [
    `CREATE TRIGGER hosts_search_insert AFTER INSERT ON hosts FOR EACH ROW ${insertTrigrams(NEW_ROW)}`,
    `CREATE TRIGGER hosts_search_delete AFTER DELETE ON hosts FOR EACH ROW
       DELETE FROM hosts_search_trigrams WHERE host_id = OLD.id`,
    // Only when a searched column changes: check-ins update hosts constantly, names rarely.
    `CREATE TRIGGER hosts_search_update AFTER UPDATE ON hosts FOR EACH ROW
       IF ${changed} THEN
         DELETE FROM hosts_search_trigrams WHERE host_id = OLD.id;
         ${insertTrigrams(NEW_ROW)};
       END IF`,
  ]
  for (const statement of statements) {
    await sql.raw(statement).execute(db)
  }
  await sql.raw(insertTrigrams(ALL_ROWS)).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'mysql') {
    return
  }
  for (const trigger of ['insert', 'delete', 'update']) {
    await sql.raw(`DROP TRIGGER hosts_search_${trigger}`).execute(db)
  }
  await db.schema.dropTable('hosts_search_trigrams').execute()
}
