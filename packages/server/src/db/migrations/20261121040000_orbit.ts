import type { Kysely } from 'kysely'
import { TIMESTAMP_TYPE, dialectOf, withTableOptions } from './helpers-v1.js'

/**
 * Orbit (fleetd) per host: its node key (hashed), enrollment and check-in times, and versions;
 * and the Fleet Desktop device token (hashed) with the time it was registered.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('host_orbit_info')
      .addColumn('host_id', 'integer', (c) =>
        c.primaryKey().references('hosts.id').onDelete('cascade'),
      )
      .addColumn('node_key_hash', 'varchar(64)', (c) => c.unique())
      .addColumn('enrolled_at', TIMESTAMP_TYPE, (c) => c.notNull().defaultTo(0))
      .addColumn('last_checkin_at', TIMESTAMP_TYPE, (c) => c.notNull().defaultTo(0))
      .addColumn('version', 'varchar(64)', (c) => c.notNull().defaultTo(''))
      .addColumn('desktop_version', 'varchar(64)', (c) => c.notNull().defaultTo(''))
      .addColumn('scripts_enabled', 'integer'),
    dialect,
  ).execute()
  await withTableOptions(
    db.schema
      .createTable('host_device_auth')
      .addColumn('host_id', 'integer', (c) =>
        c.primaryKey().references('hosts.id').onDelete('cascade'),
      )
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('host_device_auth').execute()
  await db.schema.dropTable('host_orbit_info').execute()
}
