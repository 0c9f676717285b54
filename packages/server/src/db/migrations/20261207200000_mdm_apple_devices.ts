import type { Kysely } from 'kysely'
import { TIMESTAMP_TYPE, dialectOf, longTextType, withTableOptions } from './helpers-v1.js'

/**
 * Apple devices that checked in over MDM (nanomdm's `devices` plus its cert-auth association):
 * what Authenticate said about the device, the SHA-256 of the identity certificate the device
 * is bound to, the bootstrap token, and the host the device is (matched by UDID, else serial).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('mdm_apple_devices')
      // UDID, or EnrollmentID for a User Enrollment (the device channel's enrollment id)
      .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('serial_number', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('product_name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('model', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('os_version', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('device_name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      // hex SHA-256 of the DER identity certificate the device authenticated with
      .addColumn('cert_sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('bootstrap_token', longTextType(dialect))
      .addColumn('awaiting_configuration', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('host_id', 'integer')
      .addColumn('enrolled_at', TIMESTAMP_TYPE)
      .addColumn('checked_out_at', TIMESTAMP_TYPE)
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
  await db.schema
    .createIndex('mdm_apple_devices_cert_sha256')
    .on('mdm_apple_devices')
    .column('cert_sha256')
    .execute()
  await db.schema
    .createIndex('mdm_apple_devices_host_id')
    .on('mdm_apple_devices')
    .column('host_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mdm_apple_devices').execute()
}
