import type { Kysely } from 'kysely'
import {
  TIMESTAMP_TYPE,
  dialectOf,
  idColumnConstraints,
  idColumnType,
  longTextType,
  withTableOptions,
} from './helpers-v1.js'

/**
 * Apple Business Manager (DEP) automatic enrollment: the server tokens ABM gave (OAuth
 * credentials sealed with the server key, default teams per platform, the device-sync cursor and
 * the last error), the DEP enrollment profiles defined per token and team, and the devices ABM
 * lists for this server (a pending host each until the device enrolls).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  // the key pair ABM encrypts server tokens to: `cert` and `key`, sealed with the server key
  await withTableOptions(
    db.schema
      .createTable('mdm_abm_keys')
      .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
      .addColumn('value', longTextType(dialect), (c) => c.notNull())
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
  await withTableOptions(
    db.schema
      .createTable('mdm_abm_tokens')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('org_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('apple_id', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      // sealed JSON of consumer_key, consumer_secret, access_token, access_secret
      .addColumn('credentials', longTextType(dialect), (c) => c.notNull())
      .addColumn('renew_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('terms_expired', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('macos_team_id', 'integer')
      .addColumn('ios_team_id', 'integer')
      .addColumn('ipados_team_id', 'integer')
      .addColumn('sync_cursor', longTextType(dialect))
      .addColumn('last_synced_at', TIMESTAMP_TYPE)
      .addColumn('last_error', longTextType(dialect))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
  await db.schema
    .createIndex('mdm_abm_tokens_org_name')
    .on('mdm_abm_tokens')
    .column('org_name')
    .unique()
    .execute()

  await withTableOptions(
    db.schema
      .createTable('mdm_abm_profiles')
      .addColumn('abm_token_id', 'integer', (c) => c.notNull())
      // 0 for "No team"
      .addColumn('team_id', 'integer', (c) => c.notNull())
      // the `?token=` of the DEP profile's enrollment URL
      .addColumn('enroll_token', 'varchar(64)', (c) => c.notNull())
      // ABM's profile_uuid, empty until defined
      .addColumn('profile_uuid', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('defined_at', TIMESTAMP_TYPE)
      .addPrimaryKeyConstraint('mdm_abm_profiles_pk', ['abm_token_id', 'team_id']),
    dialect,
  ).execute()
  await db.schema
    .createIndex('mdm_abm_profiles_enroll_token')
    .on('mdm_abm_profiles')
    .column('enroll_token')
    .unique()
    .execute()

  await withTableOptions(
    db.schema
      .createTable('mdm_abm_devices')
      .addColumn('serial_number', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('abm_token_id', 'integer', (c) => c.notNull())
      .addColumn('host_id', 'integer')
      // the team whose DEP profile the device gets (the token's default team when first seen)
      .addColumn('team_id', 'integer')
      .addColumn('model', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('device_family', 'varchar(64)', (c) => c.notNull().defaultTo(''))
      .addColumn('os', 'varchar(64)', (c) => c.notNull().defaultTo(''))
      // the DEP profile assigned by this server, and ABM's answer to the assignment
      .addColumn('profile_uuid', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('assign_status', 'varchar(64)', (c) => c.notNull().defaultTo(''))
      .addColumn('assigned_at', TIMESTAMP_TYPE)
      // when DeviceConfigured was queued for the device's automatic enrollment
      .addColumn('device_configured_at', TIMESTAMP_TYPE)
      // set when ABM says the device was deleted or disowned
      .addColumn('removed_at', TIMESTAMP_TYPE)
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
  await db.schema
    .createIndex('mdm_abm_devices_host_id')
    .on('mdm_abm_devices')
    .column('host_id')
    .execute()
  await db.schema
    .createIndex('mdm_abm_devices_token')
    .on('mdm_abm_devices')
    .column('abm_token_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mdm_abm_devices').execute()
  await db.schema.dropTable('mdm_abm_profiles').execute()
  await db.schema.dropTable('mdm_abm_tokens').execute()
  await db.schema.dropTable('mdm_abm_keys').execute()
}
