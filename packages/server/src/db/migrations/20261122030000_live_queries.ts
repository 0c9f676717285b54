import type { Kysely } from 'kysely'
import {
  TIMESTAMP_TYPE,
  dialectOf,
  idColumnConstraints,
  idColumnType,
  longTextType,
  withTableOptions,
} from './helpers-v1.js'

/** Live-query campaigns: the SQL, who ran it, its state and its resolved target hosts. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('live_query_campaigns')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('query_id', 'integer')
      .addColumn('query_name', 'varchar(255)')
      .addColumn('query_sql', longTextType(dialect), (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('host_count', 'integer', (c) => c.notNull())
      .addColumn('host_ids', longTextType(dialect), (c) => c.notNull()),
    dialect,
  ).execute()
  await db.schema
    .createIndex('live_query_campaigns_status')
    .on('live_query_campaigns')
    .column('status')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('live_query_campaigns').execute()
}
