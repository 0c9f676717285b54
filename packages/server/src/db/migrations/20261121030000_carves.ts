import type { Kysely } from 'kysely'
import {
  TIMESTAMP_TYPE,
  binaryType,
  dialectOf,
  idColumnConstraints,
  idColumnType,
  withTableOptions,
} from './helpers-v1.js'

/** File carves: metadata per carve session and the uploaded blocks. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('carves')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('host_id', 'integer', (c) =>
        c.notNull().references('hosts.id').onDelete('cascade'),
      )
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('block_count', 'integer', (c) => c.notNull())
      .addColumn('block_size', 'integer', (c) => c.notNull())
      .addColumn('carve_size', 'bigint', (c) => c.notNull())
      .addColumn('carve_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('request_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('session_id', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('max_block', 'integer', (c) => c.notNull().defaultTo(-1))
      .addColumn('error', 'varchar(1024)'),
    dialect,
  ).execute()
  await db.schema.createIndex('carves_created_at').on('carves').column('created_at').execute()
  await withTableOptions(
    db.schema
      .createTable('carve_blocks')
      .addColumn('carve_id', 'integer', (c) =>
        c.notNull().references('carves.id').onDelete('cascade'),
      )
      .addColumn('block_id', 'integer', (c) => c.notNull())
      .addColumn('data', binaryType(dialect), (c) => c.notNull())
      .addPrimaryKeyConstraint('carve_blocks_pk', ['carve_id', 'block_id']),
    dialect,
  ).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('carve_blocks').execute()
  await db.schema.dropTable('carves').execute()
}
