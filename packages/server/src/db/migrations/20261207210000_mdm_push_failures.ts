import type { Kysely } from 'kysely'

/**
 * Consecutive failed APNs pushes per enrollment, for the push retry's back-off (1 min doubling to
 * 1 h); reset by a good push or any report from the device.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('mdm_enrollments')
    .addColumn('push_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mdm_enrollments').dropColumn('push_failures').execute()
}
