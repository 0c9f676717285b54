import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { chunked, upsertSuffix } from '../../platform/db/index.js'

/** Per-host profile rows: what result handlers, verification, timeouts and the API read and write. */

/** The uuid of the host an MDM device is (the key of its profile rows). */
export async function hostUuidOfDevice(db: Db, deviceId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('mdm_apple_devices as d')
    .innerJoin('hosts as h', 'h.id', 'd.host_id')
    .select('h.uuid')
    .where('d.id', '=', deviceId)
    .executeTakeFirst()
  return row?.uuid
}

/** Sets the status of the host's rows waiting on `commandUuid` for `operation`. */
export async function setStatusByCommand(
  db: Db,
  where: { hostUuid: string; commandUuid: string; operation: 'install' | 'remove' },
  status: 'verifying' | 'failed',
  detail: string | null,
  now: number,
): Promise<void> {
  await db
    .updateTable('host_mdm_apple_profiles')
    .set({ status, detail, updated_at: now })
    .where('host_uuid', '=', where.hostUuid)
    .where('command_uuid', '=', where.commandUuid)
    .where('operation_type', '=', where.operation)
    .execute()
}

/** A removal the device confirmed: the row goes. */
export async function deleteRemoved(db: Db, hostUuid: string, commandUuid: string): Promise<void> {
  await db
    .deleteFrom('host_mdm_apple_profiles')
    .where('host_uuid', '=', hostUuid)
    .where('command_uuid', '=', commandUuid)
    .where('operation_type', '=', 'remove')
    .execute()
}

/** A verifying row, with the profile file it installed (for its PayloadUUID). */
export interface VerifyingRow {
  profileUuid: string
  identifier: string
  retries: number
  contents: string | null
}

export async function verifyingRows(db: Db, hostUuid: string): Promise<VerifyingRow[]> {
  const rows = await db
    .selectFrom('host_mdm_apple_profiles as hp')
    .leftJoin('mdm_apple_configuration_profiles as p', 'p.profile_uuid', 'hp.profile_uuid')
    .select(['hp.profile_uuid', 'hp.profile_identifier', 'hp.retries', 'p.mobileconfig'])
    .where('hp.host_uuid', '=', hostUuid)
    .where('hp.status', '=', 'verifying')
    .where('hp.operation_type', '=', 'install')
    .execute()
  return rows.map((r) => ({
    profileUuid: r.profile_uuid,
    identifier: r.profile_identifier,
    retries: Number(r.retries),
    contents: r.mobileconfig,
  }))
}

/** Writes ProfileList verdicts of one host's rows (still verifying: a newer send is left alone). */
export async function applyVerdicts(
  db: Db,
  hostUuid: string,
  verdicts: { verified: string[]; reinstall: string[]; failed: string[] },
  failedDetail: string,
  now: number,
): Promise<void> {
  const update = (uuids: string[]) =>
    db
      .updateTable('host_mdm_apple_profiles')
      .where('host_uuid', '=', hostUuid)
      .where('status', '=', 'verifying')
      .where('profile_uuid', 'in', uuids)
  if (verdicts.verified.length > 0) {
    await update(verdicts.verified)
      .set({ status: 'verified', detail: null, updated_at: now })
      .execute()
  }
  if (verdicts.reinstall.length > 0) {
    await update(verdicts.reinstall)
      .set({ status: null, detail: null, retries: sql<number>`retries + 1`, updated_at: now })
      .execute()
  }
  if (verdicts.failed.length > 0) {
    await update(verdicts.failed)
      .set({ status: 'failed', detail: failedDetail, updated_at: now })
      .execute()
  }
}

/**
 * Enrolled hosts with verifying rows not checked after `before`, or acknowledged since their last
 * check (a ProfileList sent before the install was acknowledged can't confirm it).
 */
export async function hostsToCheck(
  db: Db,
  before: number,
  limit: number,
): Promise<{ hostUuid: string; enrollmentId: string }[]> {
  const rows = await db
    .selectFrom('host_mdm_apple_profiles as hp')
    .innerJoin('hosts as h', 'h.uuid', 'hp.host_uuid')
    .innerJoin('mdm_apple_devices as d', 'd.host_id', 'h.id')
    .innerJoin('mdm_enrollments as e', 'e.id', 'd.id')
    .leftJoin('host_mdm_apple_profile_checks as c', 'c.host_uuid', 'hp.host_uuid')
    .select(['hp.host_uuid', 'e.id as enrollment_id'])
    .where('hp.status', '=', 'verifying')
    .where('e.enabled', '=', 1)
    .where((eb) =>
      eb.or([
        eb('c.requested_at', 'is', null),
        eb('c.requested_at', '<=', before),
        eb('c.requested_at', '<', eb.ref('hp.updated_at')),
      ]),
    )
    .groupBy(['hp.host_uuid', 'e.id'])
    .orderBy('hp.host_uuid')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ hostUuid: r.host_uuid, enrollmentId: r.enrollment_id }))
}

/** Remembers the ProfileList just sent to these hosts. */
export async function recordChecks(
  db: Db,
  hostUuids: readonly string[],
  commandUuid: string,
  now: number,
): Promise<void> {
  for (const chunk of chunked(hostUuids, 500)) {
    const values = chunk.map((h) => sql`(${h}, ${commandUuid}, ${now})`)
    await sql`INSERT INTO host_mdm_apple_profile_checks (host_uuid, command_uuid, requested_at)
      VALUES ${sql.join(values)}
      ${upsertSuffix(db, ['host_uuid'], ['command_uuid', 'requested_at'])}`.execute(db)
  }
}

/** Marks rows in `status` since before `before` failed with `detail`; returns how many. */
export async function failStale(
  db: Db,
  status: 'pending' | 'verifying',
  before: number,
  detail: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('host_mdm_apple_profiles')
    .set({ status: 'failed', detail, updated_at: now })
    .where('status', '=', status)
    .where('updated_at', '<', before)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Enabled enrollments of hosts with pending rows: when the oldest was sent, the last push. */
export async function waitingEnrollments(
  db: Db,
  limit: number,
): Promise<{ enrollmentId: string; sentAt: number; lastPushAt: number | null }[]> {
  const rows = await db
    .selectFrom('host_mdm_apple_profiles as hp')
    .innerJoin('hosts as h', 'h.uuid', 'hp.host_uuid')
    .innerJoin('mdm_apple_devices as d', 'd.host_id', 'h.id')
    .innerJoin('mdm_enrollments as e', 'e.id', 'd.id')
    .select(['e.id', 'e.last_push_at', (eb) => eb.fn.min('hp.updated_at').as('sent_at')])
    .where('hp.status', '=', 'pending')
    .where('e.enabled', '=', 1)
    // Failed pushes are the push retry's (mdm-commands) to re-send.
    .where('e.last_push_error', 'is', null)
    .groupBy(['e.id', 'e.last_push_at'])
    .orderBy('e.id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    enrollmentId: r.id,
    sentAt: Number(r.sent_at),
    lastPushAt: r.last_push_at === null ? null : Number(r.last_push_at),
  }))
}
