import type { Kysely } from 'kysely'
import { TIMESTAMP_TYPE } from './helpers-v1.js'

/**
 * A cron job's run in progress, seen by every instance: which instance runs it, since when, and
 * until when its lease holds (renewed while it runs, so a crashed instance's mark lapses).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cron_locks').addColumn('running_owner', 'varchar(64)').execute()
  await db.schema.alterTable('cron_locks').addColumn('running_since', TIMESTAMP_TYPE).execute()
  await db.schema.alterTable('cron_locks').addColumn('running_until', TIMESTAMP_TYPE).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['running_until', 'running_since', 'running_owner']) {
    await db.schema.alterTable('cron_locks').dropColumn(column).execute()
  }
}
