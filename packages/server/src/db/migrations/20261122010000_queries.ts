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
 * Saved queries (global or per team, optionally scheduled) and query reports: the latest result
 * rows of each scheduled query per host.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('queries')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('cascade'))
      // The team id as text, '' for global queries: NULLs never collide in a unique index.
      .addColumn('team_id_char', 'varchar(20)', (c) => c.notNull().defaultTo(''))
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('description', longTextType(dialect), (c) => c.notNull())
      .addColumn('query', longTextType(dialect), (c) => c.notNull())
      .addColumn('saved', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('observer_can_run', 'integer', (c) => c.notNull().defaultTo(0))
      // "interval" is a reserved word in MySQL.
      .addColumn('schedule_interval', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('platform', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('min_osquery_version', 'varchar(32)', (c) => c.notNull().defaultTo(''))
      .addColumn('automations_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('logging_type', 'varchar(32)', (c) => c.notNull().defaultTo('snapshot'))
      .addColumn('discard_data', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addUniqueConstraint('queries_team_name', ['team_id_char', 'name']),
    dialect,
  ).execute()
  await db.schema.createIndex('queries_team_id').on('queries').column('team_id').execute()
  await withTableOptions(
    db.schema
      .createTable('query_results')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('query_id', 'integer', (c) =>
        c.notNull().references('queries.id').onDelete('cascade'),
      )
      .addColumn('host_id', 'integer', (c) =>
        c.notNull().references('hosts.id').onDelete('cascade'),
      )
      // One result row as JSON (column → value); null records a snapshot with no rows.
      .addColumn('data', longTextType(dialect))
      .addColumn('last_fetched', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
  await db.schema
    .createIndex('query_results_query_host')
    .on('query_results')
    .columns(['query_id', 'host_id'])
    .execute()
  await db.schema
    .createIndex('query_results_host_id')
    .on('query_results')
    .column('host_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('query_results').execute()
  await db.schema.dropTable('queries').execute()
}
