import type { Kysely } from 'kysely'
import {
  TIMESTAMP_TYPE,
  dialectOf,
  idColumnConstraints,
  idColumnType,
  longTextType,
  withTableOptions,
} from './helpers-v1.js'

/** Users, sessions, teams, enroll secrets, app config and activities. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  const id = idColumnType(dialect)
  const idKey = idColumnConstraints(dialect)
  const longText = longTextType(dialect)

  await withTableOptions(
    db.schema
      .createTable('teams')
      .addColumn('id', id, idKey)
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('description', longText, (c) => c.notNull())
      .addColumn('agent_options', longText)
      .addColumn('settings', longText, (c) => c.notNull()),
    dialect,
  ).execute()

  await withTableOptions(
    db.schema
      .createTable('users')
      .addColumn('id', id, idKey)
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('email', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
      .addColumn('global_role', 'varchar(32)')
      .addColumn('api_only', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('force_password_reset', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sso_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('position', 'varchar(255)', (c) => c.notNull().defaultTo('')),
    dialect,
  ).execute()

  await withTableOptions(
    db.schema
      .createTable('user_teams')
      .addColumn('user_id', 'integer', (c) =>
        c.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('team_id', 'integer', (c) =>
        c.notNull().references('teams.id').onDelete('cascade'),
      )
      .addColumn('role', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_teams_pk', ['user_id', 'team_id']),
    dialect,
  ).execute()
  await db.schema.createIndex('user_teams_team_id').on('user_teams').column('team_id').execute()

  await withTableOptions(
    db.schema
      .createTable('sessions')
      .addColumn('id', id, idKey)
      .addColumn('user_id', 'integer', (c) =>
        c.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('accessed_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute()

  await withTableOptions(
    db.schema
      .createTable('enroll_secrets')
      .addColumn('secret', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('cascade'))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
  await db.schema
    .createIndex('enroll_secrets_team_id')
    .on('enroll_secrets')
    .column('team_id')
    .execute()

  await withTableOptions(
    db.schema
      .createTable('app_config')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('json', longText, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()

  await withTableOptions(
    db.schema
      .createTable('activities')
      .addColumn('id', id, idKey)
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('user_id', 'integer')
      .addColumn('user_name', 'varchar(255)')
      .addColumn('user_email', 'varchar(255)')
      .addColumn('activity_type', 'varchar(128)', (c) => c.notNull())
      .addColumn('details', longText)
      .addColumn('fleet_initiated', 'integer', (c) => c.notNull().defaultTo(0)),
    dialect,
  ).execute()
  await db.schema
    .createIndex('activities_created_at')
    .on('activities')
    .column('created_at')
    .execute()
  await db.schema.createIndex('activities_type').on('activities').column('activity_type').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'activities',
    'app_config',
    'enroll_secrets',
    'sessions',
    'user_teams',
    'users',
    'teams',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
