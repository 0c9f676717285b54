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
 * Apple MDM's command channel, after nanomdm's tables: enrollments (one per device or user
 * channel, with what APNs needs to wake it), commands (the raw plist, written once), one queue row
 * per (enrollment, command) and one result row per (enrollment, command) once the device answered.
 * Results and queue rows go with their enrollment and command (ON DELETE CASCADE).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('mdm_enrollments')
      // UDID or EnrollmentID for a device channel, `<device id>:<user id>` for a user channel
      .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('device_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)')
      .addColumn('type', 'varchar(32)', (c) => c.notNull())
      .addColumn('topic', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('push_magic', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('token_hex', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('token_update_tally', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_seen_at', TIMESTAMP_TYPE)
      .addColumn('last_push_at', TIMESTAMP_TYPE)
      .addColumn('last_push_error', 'varchar(1024)')
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
  await db.schema
    .createIndex('mdm_enrollments_device_id')
    .on('mdm_enrollments')
    .column('device_id')
    .execute()
  await withTableOptions(
    db.schema
      .createTable('mdm_commands')
      .addColumn('command_uuid', 'varchar(127)', (c) => c.primaryKey())
      .addColumn('request_type', 'varchar(63)', (c) => c.notNull())
      .addColumn('command', longTextType(dialect), (c) => c.notNull())
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull()),
    dialect,
  ).execute()
  await withTableOptions(
    db.schema
      .createTable('mdm_enrollment_queue')
      // Breaks ties between rows queued in the same millisecond: delivery order is stable.
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('enrollment_id', 'varchar(255)', (c) =>
        c.notNull().references('mdm_enrollments.id').onDelete('cascade'),
      )
      .addColumn('command_uuid', 'varchar(127)', (c) =>
        c.notNull().references('mdm_commands.command_uuid').onDelete('cascade'),
      )
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      // When the command was last handed to the device and not yet answered (see README: lease)
      .addColumn('delivered_at', TIMESTAMP_TYPE)
      .addUniqueConstraint('mdm_enrollment_queue_enrollment_command', [
        'enrollment_id',
        'command_uuid',
      ]),
    dialect,
  ).execute()
  await db.schema
    .createIndex('mdm_enrollment_queue_next')
    .on('mdm_enrollment_queue')
    .columns(['enrollment_id', 'active', 'priority', 'created_at'])
    .execute()
  await withTableOptions(
    db.schema
      .createTable('mdm_command_results')
      .addColumn('enrollment_id', 'varchar(255)', (c) =>
        c.notNull().references('mdm_enrollments.id').onDelete('cascade'),
      )
      .addColumn('command_uuid', 'varchar(127)', (c) =>
        c.notNull().references('mdm_commands.command_uuid').onDelete('cascade'),
      )
      .addColumn('status', 'varchar(31)', (c) => c.notNull())
      .addColumn('result', longTextType(dialect), (c) => c.notNull())
      .addColumn('not_now_at', TIMESTAMP_TYPE)
      .addColumn('not_now_tally', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addPrimaryKeyConstraint('mdm_command_results_pk', ['enrollment_id', 'command_uuid']),
    dialect,
  ).execute()
  await db.schema
    .createIndex('mdm_command_results_command_uuid')
    .on('mdm_command_results')
    .column('command_uuid')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mdm_command_results').execute()
  await db.schema.dropTable('mdm_enrollment_queue').execute()
  await db.schema.dropTable('mdm_commands').execute()
  await db.schema.dropTable('mdm_enrollments').execute()
}
