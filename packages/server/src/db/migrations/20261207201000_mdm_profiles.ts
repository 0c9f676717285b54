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
 * Apple configuration profiles (`.mobileconfig`, uuid prefix `a`) and DDM declarations (prefix
 * `d`), their label scoping, and the per-host status rows delivery writes and the summary reads.
 * `team_id` 0 is "No team", as in Fleet, so the per-team unique keys work on every dialect.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('mdm_apple_configuration_profiles')
      .addColumn('profile_uuid', 'varchar(37)', (c) => c.primaryKey())
      .addColumn('team_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('identifier', 'varchar(255)', (c) => c.notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('mobileconfig', longTextType(dialect), (c) => c.notNull())
      .addColumn('checksum', 'varchar(32)', (c) => c.notNull())
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('uploaded_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('secrets_updated_at', TIMESTAMP_TYPE)
      .addUniqueConstraint('mdm_apple_config_prof_team_identifier', ['team_id', 'identifier'])
      .addUniqueConstraint('mdm_apple_config_prof_team_name', ['team_id', 'name']),
    dialect,
  ).execute()
  await withTableOptions(
    db.schema
      .createTable('mdm_apple_declarations')
      .addColumn('declaration_uuid', 'varchar(37)', (c) => c.primaryKey())
      .addColumn('team_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('identifier', 'varchar(255)', (c) => c.notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('raw_json', longTextType(dialect), (c) => c.notNull())
      // Upper-case hex MD5 of raw_json (+ secrets_updated_at), computed in code (reference §4.3)
      .addColumn('token', 'varchar(32)', (c) => c.notNull())
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('uploaded_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('secrets_updated_at', TIMESTAMP_TYPE)
      .addUniqueConstraint('mdm_apple_declaration_team_identifier', ['team_id', 'identifier'])
      .addUniqueConstraint('mdm_apple_declaration_team_name', ['team_id', 'name']),
    dialect,
  ).execute()
  await withTableOptions(
    db.schema
      .createTable('mdm_profile_labels')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      // A profile_uuid (`a…`) or a declaration_uuid (`d…`); rows go with their profile in code
      .addColumn('profile_uuid', 'varchar(37)', (c) => c.notNull())
      // NULL once the label is deleted: the profile is then "broken" (never newly installed)
      .addColumn('label_id', 'integer', (c) => c.references('labels.id').onDelete('set null'))
      .addColumn('label_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('exclude', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('require_all', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('mdm_profile_labels_profile_label', ['profile_uuid', 'label_name']),
    dialect,
  ).execute()
  await db.schema
    .createIndex('mdm_profile_labels_label_id')
    .on('mdm_profile_labels')
    .column('label_id')
    .execute()
  await withTableOptions(
    db.schema
      .createTable('host_mdm_apple_profiles')
      .addColumn('host_uuid', 'varchar(255)', (c) => c.notNull())
      .addColumn('profile_uuid', 'varchar(37)', (c) => c.notNull())
      .addColumn('profile_identifier', 'varchar(255)', (c) => c.notNull())
      .addColumn('profile_name', 'varchar(255)', (c) => c.notNull())
      // NULL (not sent yet), pending, verifying, verified, failed
      .addColumn('status', 'varchar(20)')
      .addColumn('operation_type', 'varchar(20)', (c) => c.notNull())
      .addColumn('detail', longTextType(dialect))
      .addColumn('command_uuid', 'varchar(127)')
      .addColumn('checksum', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addPrimaryKeyConstraint('host_mdm_apple_profiles_pk', ['host_uuid', 'profile_uuid']),
    dialect,
  ).execute()
  await withTableOptions(
    db.schema
      .createTable('host_mdm_apple_declarations')
      .addColumn('host_uuid', 'varchar(255)', (c) => c.notNull())
      .addColumn('declaration_uuid', 'varchar(37)', (c) => c.notNull())
      .addColumn('declaration_identifier', 'varchar(255)', (c) => c.notNull())
      .addColumn('declaration_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('status', 'varchar(20)')
      .addColumn('operation_type', 'varchar(20)', (c) => c.notNull())
      .addColumn('detail', longTextType(dialect))
      .addColumn('token', 'varchar(32)', (c) => c.notNull())
      .addColumn('secrets_updated_at', TIMESTAMP_TYPE)
      .addColumn('resync', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addPrimaryKeyConstraint('host_mdm_apple_declarations_pk', ['host_uuid', 'declaration_uuid']),
    dialect,
  ).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('host_mdm_apple_declarations').execute()
  await db.schema.dropTable('host_mdm_apple_profiles').execute()
  await db.schema.dropTable('mdm_profile_labels').execute()
  await db.schema.dropTable('mdm_apple_declarations').execute()
  await db.schema.dropTable('mdm_apple_configuration_profiles').execute()
}
