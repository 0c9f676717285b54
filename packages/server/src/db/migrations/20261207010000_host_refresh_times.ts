import { MysqlAdapter, sql, type Kysely } from 'kysely'

/**
 * Question providers' refresh times move out of the hosts table: `hosts.label_updated_at` and
 * `policy_updated_at` become rows of `host_refresh_times` (per host and schedule name), which
 * also keeps the last full refresh apart from the last answer. Existing values are copied to
 * both. Imports nothing but Kysely: this file must read the same for as long as it exists.
 */
const MOVED = [
  { provider: 'labels', column: 'label_updated_at' },
  { provider: 'policies', column: 'policy_updated_at' },
] as const

function isMysql(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter
}

export async function up(db: Kysely<unknown>): Promise<void> {
  let table = db.schema
    .createTable('host_refresh_times')
    .addColumn('host_id', 'integer', (c) => c.notNull())
    .addColumn('provider', 'varchar(64)', (c) => c.notNull())
    .addColumn('asked_since', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('refreshed_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('host_refresh_times_pk', ['host_id', 'provider'])
  if (isMysql(db)) {
    table = table.modifyEnd(sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`)
  }
  await table.execute()
  for (const { provider, column } of MOVED) {
    await sql`INSERT INTO host_refresh_times (host_id, provider, asked_since, refreshed_at)
      SELECT id, ${sql.lit(provider)}, ${sql.ref(column)}, ${sql.ref(column)} FROM hosts
      WHERE ${sql.ref(column)} > 0`.execute(db)
    await db.schema.alterTable('hosts').dropColumn(column).execute()
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { provider, column } of MOVED) {
    await db.schema
      .alterTable('hosts')
      .addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0))
      .execute()
    await sql`UPDATE hosts SET ${sql.ref(column)} = COALESCE((SELECT r.asked_since
      FROM host_refresh_times r WHERE r.host_id = hosts.id AND r.provider = ${sql.lit(provider)}), 0)`.execute(
      db,
    )
  }
  await db.schema.dropTable('host_refresh_times').execute()
}
