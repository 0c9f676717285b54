import type { Db } from '../../db/database.js'
import { chunked } from '../../platform/db/index.js'
import { pendingTimeoutDetail, verifyingTimeoutDetail } from '../mdm-profile-delivery/index.js'
import type { StatementCounter } from './reconcile.store.js'

/** Sync requests re-sent to a silent host at most this many times; then only the timeout acts. */
export const MAX_SYNC_ATTEMPTS = 6

/**
 * Whether a host that has not reported since the server asked it to sync is asked again: the
 * gap doubles from 1 min after each attempt (1, 2, 4, 8, 16 min), at most {@link MAX_SYNC_ATTEMPTS}
 * requests in all.
 */
export function retryDue(requestedAt: number, attempts: number, now: number): boolean {
  if (attempts >= MAX_SYNC_ATTEMPTS) {
    return false
  }
  return now - requestedAt >= 60_000 * 2 ** Math.max(0, attempts - 1)
}

/**
 * "Nothing sticks in pending": install rows pending or verifying untouched for `timeoutMs` fail
 * with Fleet's wording (two statements).
 */
export async function expireStuckRows(
  db: Db,
  timeoutMs: number,
  now: number,
  c: StatementCounter,
): Promise<number> {
  let expired = 0
  for (const [status, detail] of [
    ['pending', pendingTimeoutDetail(timeoutMs)],
    ['verifying', verifyingTimeoutDetail(timeoutMs)],
  ] as const) {
    c.statements += 1
    const result = await db
      .updateTable('host_mdm_apple_declarations')
      .set({ status: 'failed', detail, updated_at: now })
      .where('operation_type', '=', 'install')
      .where('status', '=', status)
      .where('updated_at', '<=', now - timeoutMs)
      .executeTakeFirst()
    expired += Number(result.numUpdatedRows)
  }
  return expired
}

/** Hosts still waiting on their declarations whose sync request is due again (one statement). */
export async function syncRetriesDue(
  db: Db,
  now: number,
  c: StatementCounter,
): Promise<{ hostUuid: string; enrollmentId: string; attempts: number }[]> {
  c.statements += 1
  const rows = await db
    .selectFrom('mdm_apple_ddm_host_syncs as s')
    .select(['s.host_uuid', 's.enrollment_id', 's.requested_at', 's.attempts'])
    .where('s.attempts', '<', MAX_SYNC_ATTEMPTS)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('host_mdm_apple_declarations as h')
          .select('h.host_uuid')
          .whereRef('h.host_uuid', '=', 's.host_uuid')
          .where('h.operation_type', '=', 'install')
          .where('h.status', 'in', ['pending', 'verifying']),
      ),
    )
    .execute()
  return rows
    .filter((r) => retryDue(Number(r.requested_at), Number(r.attempts), now))
    .map((r) => ({
      hostUuid: r.host_uuid,
      enrollmentId: r.enrollment_id,
      attempts: Number(r.attempts) + 1,
    }))
}

/** Keeps only targets whose enrollment is still enabled (one statement per 1,000). */
export async function stillEnrolled<T extends { enrollmentId: string }>(
  db: Db,
  targets: readonly T[],
  c: StatementCounter,
): Promise<T[]> {
  const enabled = new Set<string>()
  for (const chunk of chunked(targets.map((t) => t.enrollmentId))) {
    c.statements += 1
    const rows = await db
      .selectFrom('mdm_enrollments')
      .select('id')
      .where('id', 'in', chunk)
      .where('enabled', '=', 1)
      .execute()
    rows.forEach((r) => enabled.add(r.id))
  }
  return targets.filter((t) => enabled.has(t.enrollmentId))
}
