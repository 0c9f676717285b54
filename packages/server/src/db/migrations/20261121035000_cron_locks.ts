import type { Kysely } from 'kysely'
import { TIMESTAMP_TYPE, dialectOf, withTableOptions } from './helpers-v1.js'

/** Cron locks: one instance runs each job per interval, however many `fleet serve` share the db. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withTableOptions(
    db.schema
      .createTable('cron_locks')
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('owner', 'varchar(64)', (c) => c.notNull())
      .addColumn('expires_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('last_run_at', TIMESTAMP_TYPE),
    dialectOf(db),
  ).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cron_locks').execute()
}
