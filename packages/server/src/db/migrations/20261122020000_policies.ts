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
 * Policies (global and per team), each host's latest result, per-team host counts of global
 * policies, and the hosts waiting to be sent to the failing-policies webhook.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('policies')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('cascade'))
      // team_id, or 0 for global policies: NULLs never collide in a unique key.
      .addColumn('team_key', 'integer', (c) => c.notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('query', longTextType(dialect), (c) => c.notNull())
      .addColumn('description', longTextType(dialect), (c) => c.notNull())
      .addColumn('resolution', longTextType(dialect), (c) => c.notNull())
      .addColumn('platform', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('critical', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('calendar_events_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('passing_host_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failing_host_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('host_count_updated_at', TIMESTAMP_TYPE)
      .addUniqueConstraint('policies_team_key_name', ['team_key', 'name']),
    dialect,
  ).execute()
  await db.schema.createIndex('policies_team_id').on('policies').column('team_id').execute()

  await withTableOptions(
    db.schema
      .createTable('policy_membership')
      .addColumn('policy_id', 'integer', (c) =>
        c.notNull().references('policies.id').onDelete('cascade'),
      )
      .addColumn('host_id', 'integer', (c) =>
        c.notNull().references('hosts.id').onDelete('cascade'),
      )
      // 1 pass, 0 fail, null: the query failed on the host.
      .addColumn('passes', 'integer')
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_membership_pk', ['policy_id', 'host_id']),
    dialect,
  ).execute()
  await db.schema
    .createIndex('policy_membership_host_id')
    .on('policy_membership')
    .column('host_id')
    .execute()

  await withTableOptions(
    db.schema
      .createTable('policy_stats')
      .addColumn('policy_id', 'integer', (c) =>
        c.notNull().references('policies.id').onDelete('cascade'),
      )
      .addColumn('team_id', 'integer', (c) =>
        c.notNull().references('teams.id').onDelete('cascade'),
      )
      .addColumn('passing_host_count', 'integer', (c) => c.notNull())
      .addColumn('failing_host_count', 'integer', (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_stats_pk', ['policy_id', 'team_id']),
    dialect,
  ).execute()

  await withTableOptions(
    db.schema
      .createTable('policy_webhook_queue')
      .addColumn('policy_id', 'integer', (c) =>
        c.notNull().references('policies.id').onDelete('cascade'),
      )
      .addColumn('host_id', 'integer', (c) =>
        c.notNull().references('hosts.id').onDelete('cascade'),
      )
      .addColumn('queued_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_webhook_queue_pk', ['policy_id', 'host_id']),
    dialect,
  ).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('policy_webhook_queue').execute()
  await db.schema.dropTable('policy_stats').execute()
  await db.schema.dropTable('policy_membership').execute()
  await db.schema.dropTable('policies').execute()
}
