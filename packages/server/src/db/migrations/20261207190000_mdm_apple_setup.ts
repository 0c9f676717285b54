import type { Kysely } from 'kysely'
import { TIMESTAMP_TYPE, dialectOf, longTextType, withTableOptions } from './helpers-v1.js'

/**
 * Apple MDM set-up: the push certificate and key, the SCEP CA and challenge (each value sealed
 * with the server's private key), and the device identity certificates the SCEP server issued.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('mdm_config_assets')
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('value', longTextType(dialect), (c) => c.notNull())
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
  await withTableOptions(
    db.schema
      .createTable('mdm_scep_certificates')
      // hex, as the certificate carries it
      .addColumn('serial', 'varchar(64)', (c) => c.primaryKey())
      // hex SHA-256 of the DER certificate: how check-ins find it (Mdm-Signature)
      .addColumn('sha256', 'char(64)', (c) => c.notNull().unique())
      .addColumn('common_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('not_valid_before', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('not_valid_after', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('certificate_pem', longTextType(dialect), (c) => c.notNull())
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0)),
    dialect,
  ).execute()
  await db.schema
    .createIndex('mdm_scep_certificates_not_valid_after')
    .on('mdm_scep_certificates')
    .column('not_valid_after')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mdm_scep_certificates').execute()
  await db.schema.dropTable('mdm_config_assets').execute()
}
