import { sql, type Selectable } from 'kysely'
import type { Db } from '../../db/database.js'
import { chunked, dialectOf } from '../../platform/db/index.js'
import { isEnrollmentType, type Enrollment, type PushTarget } from './enrollment.js'
import type { MdmEnrollmentsTable } from './mdm-commands.table.js'

function toEnrollment(row: Selectable<MdmEnrollmentsTable>): Enrollment {
  return {
    id: row.id,
    deviceId: row.device_id,
    userId: row.user_id,
    // Only this store writes the column, always with a known type.
    type: isEnrollmentType(row.type) ? row.type : 'Device',
    topic: row.topic,
    pushMagic: row.push_magic,
    tokenHex: row.token_hex,
    enabled: Number(row.enabled) === 1,
    tokenUpdateTally: Number(row.token_update_tally),
    lastSeenAt: row.last_seen_at === null ? null : Number(row.last_seen_at),
    lastPushAt: row.last_push_at === null ? null : Number(row.last_push_at),
    lastPushError: row.last_push_error,
  }
}

export async function findEnrollment(db: Db, id: string): Promise<Enrollment | undefined> {
  const row = await db
    .selectFrom('mdm_enrollments')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toEnrollment(row)
}

/**
 * Locks one enrollment row until the transaction ends (`SELECT … FOR UPDATE`; SQLite runs
 * transactions one at a time already), so two requests of one device take turns. False when the
 * enrollment does not exist.
 */
export async function lockEnrollment(db: Db, id: string): Promise<boolean> {
  const query = db.selectFrom('mdm_enrollments').select('id').where('id', '=', id)
  const row = await (dialectOf(db) === 'sqlite' ? query : query.forUpdate()).executeTakeFirst()
  return row !== undefined
}

/** What a TokenUpdate sets on an enrollment. */
export type TokenUpdateRow = Pick<
  Enrollment,
  'id' | 'deviceId' | 'userId' | 'type' | 'topic' | 'pushMagic' | 'tokenHex'
>

function tokenColumns(row: TokenUpdateRow) {
  return {
    device_id: row.deviceId,
    user_id: row.userId,
    type: row.type,
    topic: row.topic,
    push_magic: row.pushMagic,
    token_hex: row.tokenHex,
    enabled: 1,
  }
}

export async function insertEnrollment(db: Db, row: TokenUpdateRow, now: number): Promise<void> {
  await db
    .insertInto('mdm_enrollments')
    .values({
      id: row.id,
      ...tokenColumns(row),
      token_update_tally: 1,
      last_seen_at: now,
      last_push_at: null,
      last_push_error: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
}

/** A TokenUpdate for a known enrollment: new push details, enabled again, tally + 1. */
export async function updateEnrollmentToken(
  db: Db,
  row: TokenUpdateRow,
  now: number,
): Promise<void> {
  await db
    .updateTable('mdm_enrollments')
    .set({
      ...tokenColumns(row),
      token_update_tally: sql<number>`token_update_tally + 1`,
      last_seen_at: now,
      updated_at: now,
    })
    .where('id', '=', row.id)
    .execute()
}

/** Disables every channel of a device (Authenticate, CheckOut): no pushes until TokenUpdate. */
export async function disableDeviceEnrollments(
  db: Db,
  deviceId: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('mdm_enrollments')
    .set({ enabled: 0, updated_at: now })
    .where('device_id', '=', deviceId)
    .execute()
}

export async function touchEnrollment(db: Db, id: string, now: number): Promise<void> {
  // the device is reachable: failed pushes no longer need retrying
  await db
    .updateTable('mdm_enrollments')
    .set({ last_seen_at: now, last_push_error: null, push_failures: 0 })
    .where('id', '=', id)
    .execute()
}

/** Ids among `ids` that exist. */
export async function existingEnrollmentIds(db: Db, ids: readonly string[]): Promise<string[]> {
  const found: string[] = []
  for (const chunk of chunked(ids)) {
    const rows = await db
      .selectFrom('mdm_enrollments')
      .select('id')
      .where('id', 'in', chunk)
      .execute()
    found.push(...rows.map((r) => r.id))
  }
  return found
}

/** What APNs needs for each of `ids` that is enabled and has a push token. */
export async function pushTargets(db: Db, ids: readonly string[]): Promise<PushTarget[]> {
  const targets: PushTarget[] = []
  for (const chunk of chunked(ids)) {
    const rows = await db
      .selectFrom('mdm_enrollments')
      .select(['id', 'topic', 'push_magic', 'token_hex'])
      .where('id', 'in', chunk)
      .where('enabled', '=', 1)
      .where('token_hex', '!=', '')
      .execute()
    targets.push(
      ...rows.map((r) => ({
        enrollmentId: r.id,
        topic: r.topic,
        pushMagic: r.push_magic,
        tokenHex: r.token_hex,
      })),
    )
  }
  return targets
}

/** The outcome of the latest push: `error` null after a good one. */
export async function recordPushOutcome(
  db: Db,
  ids: readonly string[],
  at: number,
  error: string | null,
): Promise<void> {
  for (const chunk of chunked(ids)) {
    await db
      .updateTable('mdm_enrollments')
      .set({
        last_push_at: at,
        last_push_error: error,
        push_failures: error === null ? 0 : sql<number>`push_failures + 1`,
      })
      .where('id', 'in', chunk)
      .execute()
  }
}
