import type { Kysely } from 'kysely'
import { dialectOf, TIMESTAMP_TYPE, withTableOptions } from './helpers-v1.js'

/**
 * `.mobileconfig` delivery (features/mdm-profile-delivery): how many times a profile was
 * re-installed because the device's ProfileList did not show it (`retries`), the index result
 * handlers find rows by (`command_uuid`), and per host when its profiles were last checked with a
 * ProfileList command (at most once per interval).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await db.schema
    .alterTable('host_mdm_apple_profiles')
    .addColumn('retries', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .createIndex('host_mdm_apple_profiles_command_idx')
    .on('host_mdm_apple_profiles')
    .column('command_uuid')
    .execute()
  await withTableOptions(
    db.schema
      .createTable('host_mdm_apple_profile_checks')
      .addColumn('host_uuid', 'varchar(255)', (c) => c.notNull().primaryKey())
      .addColumn('command_uuid', 'varchar(127)', (c) => c.notNull())
      .addColumn('requested_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('host_mdm_apple_profile_checks').execute()
  await db.schema
    .dropIndex('host_mdm_apple_profiles_command_idx')
    .on('host_mdm_apple_profiles')
    .execute()
  await db.schema.alterTable('host_mdm_apple_profiles').dropColumn('retries').execute()
}
