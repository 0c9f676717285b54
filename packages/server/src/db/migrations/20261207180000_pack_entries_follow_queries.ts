import { sql, type Kysely } from 'kysely'
import {
  TIMESTAMP_TYPE,
  dialectOf,
  idColumnConstraints,
  idColumnType,
  longTextType,
  withTableOptions,
} from './helpers-v1.js'

/**
 * A pack entry goes with its saved query, as in Fleet (`scheduled_queries.query_id` cascades):
 * entries of queries deleted so far are removed, and `query_id` becomes a foreign key with ON
 * DELETE CASCADE. SQLite can't add a foreign key to a table, so there the table is rebuilt.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await sql`DELETE FROM pack_scheduled_queries WHERE query_id NOT IN (SELECT id FROM queries)`.execute(
    db,
  )
  if (dialect !== 'sqlite') {
    await db.schema
      .alterTable('pack_scheduled_queries')
      .addForeignKeyConstraint('pack_scheduled_queries_query_fk', ['query_id'], 'queries', ['id'])
      .onDelete('cascade')
      .execute()
    return
  }
  await withTableOptions(
    db.schema
      .createTable('pack_scheduled_queries_rebuilt')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('pack_id', 'integer', (c) =>
        c.notNull().references('packs.id').onDelete('cascade'),
      )
      .addColumn('query_id', 'integer', (c) =>
        c.notNull().references('queries.id').onDelete('cascade'),
      )
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('description', longTextType(dialect), (c) => c.notNull())
      .addColumn('schedule_interval', 'integer', (c) => c.notNull())
      .addColumn('snapshot', 'integer')
      .addColumn('removed', 'integer')
      .addColumn('platform', 'varchar(255)')
      .addColumn('version', 'varchar(32)')
      .addColumn('shard', 'integer')
      .addColumn('denylist', 'integer')
      .addUniqueConstraint('pack_scheduled_queries_pack_name', ['pack_id', 'name']),
    dialect,
  ).execute()
  await sql`INSERT INTO pack_scheduled_queries_rebuilt SELECT * FROM pack_scheduled_queries`.execute(
    db,
  )
  await db.schema.dropTable('pack_scheduled_queries').execute()
  await db.schema
    .alterTable('pack_scheduled_queries_rebuilt')
    .renameTo('pack_scheduled_queries')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') {
    await db.schema
      .alterTable('pack_scheduled_queries')
      .dropConstraint('pack_scheduled_queries_query_fk')
      .execute()
  }
  // On SQLite the foreign key stays: dropping it would mean rebuilding the table once more, and
  // the packs migration's `down` drops the table anyway.
}
