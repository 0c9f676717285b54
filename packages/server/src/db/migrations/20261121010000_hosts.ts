import type { Kysely } from 'kysely'
import {
  TIMESTAMP_TYPE,
  dialectOf,
  idColumnConstraints,
  idColumnType,
  longTextType,
  withTableOptions,
} from './helpers-v1.js'

/** Hosts enrolled by osquery, their vitals, and their local users. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  const text = (n: number) => `varchar(${n})` as const
  await withTableOptions(
    db.schema
      .createTable('hosts')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('set null'))
      .addColumn('node_key_hash', text(64), (c) => c.unique())
      .addColumn('osquery_host_id', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('uuid', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('hostname', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('computer_name', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('platform', text(64), (c) => c.notNull().defaultTo(''))
      .addColumn('platform_like', text(64), (c) => c.notNull().defaultTo(''))
      .addColumn('os_version', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('build', text(64), (c) => c.notNull().defaultTo(''))
      .addColumn('code_name', text(64), (c) => c.notNull().defaultTo(''))
      .addColumn('osquery_version', text(64), (c) => c.notNull().defaultTo(''))
      .addColumn('kernel_version', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('uptime_seconds', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('memory', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('cpu_type', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('cpu_subtype', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('cpu_brand', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('cpu_physical_cores', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cpu_logical_cores', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('hardware_vendor', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('hardware_model', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('hardware_version', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('hardware_serial', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('primary_ip', text(64), (c) => c.notNull().defaultTo(''))
      .addColumn('primary_mac', text(64), (c) => c.notNull().defaultTo(''))
      .addColumn('public_ip', text(64), (c) => c.notNull().defaultTo(''))
      .addColumn('distributed_interval', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('config_tls_refresh', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('logger_tls_period', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('gigs_disk_space_available', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('percent_disk_space_available', 'double precision', (c) =>
        c.notNull().defaultTo(0),
      )
      .addColumn('gigs_total_disk_space', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('detail_updated_at', TIMESTAMP_TYPE, (c) => c.notNull().defaultTo(0))
      .addColumn('label_updated_at', TIMESTAMP_TYPE, (c) => c.notNull().defaultTo(0))
      .addColumn('policy_updated_at', TIMESTAMP_TYPE, (c) => c.notNull().defaultTo(0))
      .addColumn('last_enrolled_at', TIMESTAMP_TYPE, (c) => c.notNull().defaultTo(0))
      .addColumn('last_restarted_at', TIMESTAMP_TYPE, (c) => c.notNull().defaultTo(0))
      .addColumn('seen_time', TIMESTAMP_TYPE, (c) => c.notNull().defaultTo(0))
      .addColumn('refetch_requested', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('additional', longTextType(dialect)),
    dialect,
  ).execute()
  for (const column of [
    'team_id',
    'uuid',
    'hardware_serial',
    'hostname',
    'seen_time',
    'osquery_host_id',
  ]) {
    await db.schema.createIndex(`hosts_${column}`).on('hosts').column(column).execute()
  }

  await withTableOptions(
    db.schema
      .createTable('host_users')
      .addColumn('host_id', 'integer', (c) =>
        c.notNull().references('hosts.id').onDelete('cascade'),
      )
      .addColumn('uid', 'bigint', (c) => c.notNull())
      .addColumn('username', text(255), (c) => c.notNull())
      .addColumn('type', text(64), (c) => c.notNull().defaultTo(''))
      .addColumn('groupname', text(255), (c) => c.notNull().defaultTo(''))
      .addColumn('shell', text(255), (c) => c.notNull().defaultTo(''))
      .addPrimaryKeyConstraint('host_users_pk', ['host_id', 'uid', 'username']),
    dialect,
  ).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('host_users').execute()
  await db.schema.dropTable('hosts').execute()
}
