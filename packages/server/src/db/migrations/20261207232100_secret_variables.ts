import type { Kysely } from 'kysely'
import { TIMESTAMP_TYPE, dialectOf, longTextType, withTableOptions } from './helpers-v1.js'

/**
 * Fleet's secret variables (`$FLEET_SECRET_<NAME>` in profiles): the name without its prefix and
 * the value sealed with the server private key; `updated_at` moves only when a value changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('secret_variables')
      .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('value', longTextType(dialect), (c) => c.notNull())
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('secret_variables').execute()
}
