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
 * 2017-style query packs: the pack, its targets (labels, hosts, teams) and its scheduled queries,
 * each naming a global saved query by id. A deleted query leaves its entries behind (they are
 * skipped until removed), as does a deleted label, host or team in the targets: no foreign keys
 * into other features' tables.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('packs')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('description', longTextType(dialect), (c) => c.notNull())
      .addColumn('platform', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0)),
    dialect,
  ).execute()
  await withTableOptions(
    db.schema
      .createTable('pack_targets')
      .addColumn('pack_id', 'integer', (c) =>
        c.notNull().references('packs.id').onDelete('cascade'),
      )
      // 'label', 'host' or 'team'; `interval` is reserved in MySQL, hence schedule_interval below
      .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('target_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('pack_targets_pk', ['pack_id', 'target_type', 'target_id']),
    dialect,
  ).execute()
  await withTableOptions(
    db.schema
      .createTable('pack_scheduled_queries')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('pack_id', 'integer', (c) =>
        c.notNull().references('packs.id').onDelete('cascade'),
      )
      .addColumn('query_id', 'integer', (c) => c.notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('description', longTextType(dialect), (c) => c.notNull())
      .addColumn('schedule_interval', 'integer', (c) => c.notNull())
      // Nullable, as in osquery's config: null leaves osquery's default.
      .addColumn('snapshot', 'integer')
      .addColumn('removed', 'integer')
      .addColumn('platform', 'varchar(255)')
      .addColumn('version', 'varchar(32)')
      .addColumn('shard', 'integer')
      .addColumn('denylist', 'integer')
      .addUniqueConstraint('pack_scheduled_queries_pack_name', ['pack_id', 'name']),
    dialect,
  ).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pack_scheduled_queries').execute()
  await db.schema.dropTable('pack_targets').execute()
  await db.schema.dropTable('packs').execute()
}
