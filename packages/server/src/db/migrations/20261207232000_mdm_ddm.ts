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
 * Declarative Device Management: every DDM request a device makes (Fleet's
 * `mdm_apple_declarative_requests`: enrollment, endpoint, the JSON it sent, capped), and per host
 * the state of its declaration sync (when the server last asked it to sync, how many times without
 * an answer), which the "nothing sticks in pending" pass reads for its back-off.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('mdm_apple_declarative_requests')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('enrollment_id', 'varchar(255)', (c) => c.notNull())
      // the Endpoint: tokens, declaration-items, status, declaration/<type>/<id>
      .addColumn('message_type', 'varchar(255)', (c) => c.notNull())
      .addColumn('raw_json', longTextType(dialect))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
  await db.schema
    .createIndex('mdm_apple_declarative_requests_enrollment')
    .on('mdm_apple_declarative_requests')
    .columns(['enrollment_id', 'created_at'])
    .execute()
  await db.schema
    .createIndex('mdm_apple_declarative_requests_created')
    .on('mdm_apple_declarative_requests')
    .column('created_at')
    .execute()
  await withTableOptions(
    db.schema
      .createTable('mdm_apple_ddm_host_syncs')
      .addColumn('host_uuid', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('enrollment_id', 'varchar(255)', (c) => c.notNull())
      // when a DeclarativeManagement command was last queued for the host
      .addColumn('requested_at', TIMESTAMP_TYPE, (c) => c.notNull())
      // syncs asked since the host last answered (reset by any DDM request from it)
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)),
    dialect,
  ).execute()
  await db.schema
    .createIndex('host_mdm_apple_declarations_status')
    .on('host_mdm_apple_declarations')
    .columns(['status', 'updated_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const drop = db.schema.dropIndex('host_mdm_apple_declarations_status')
  // MySQL names the table in DROP INDEX; SQLite and PostgreSQL refuse it.
  await (dialectOf(db) === 'mysql' ? drop.on('host_mdm_apple_declarations') : drop).execute()
  await db.schema.dropTable('mdm_apple_ddm_host_syncs').execute()
  await db.schema.dropTable('mdm_apple_declarative_requests').execute()
}
