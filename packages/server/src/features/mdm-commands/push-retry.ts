import type { Db } from '../../db/database.js'
import type { CronJob } from '../../platform/cron-job.js'
import type { Clock } from '../../platform/clock.js'
import type { Pusher } from './push.js'

/** First retry a minute after a failed push, doubling per failure, never more than an hour. */
export const PUSH_RETRY_BASE_MS = 60_000
export const PUSH_RETRY_MAX_MS = 3_600_000
/** Enrollments re-pushed per run at most (the rest wait for the next run). */
const BATCH = 1000

/** How long after its last failed push an enrollment with `failures` failures is pushed again. */
export function retryDelayMs(failures: number): number {
  const doublings = Math.max(0, Math.min(failures - 1, 20))
  return Math.min(PUSH_RETRY_BASE_MS * 2 ** doublings, PUSH_RETRY_MAX_MS)
}

/**
 * APNs answers that retrying can't fix: the token is gone (`410 Unregistered`, the device gets a
 * new one at its next TokenUpdate) or was never valid (`400 BadDeviceToken`).
 */
export function isPermanentPushError(error: string): boolean {
  return error.startsWith('410 ') || error.startsWith('400 BadDeviceToken')
}

interface RetryCandidate {
  id: string
  lastPushAt: number
  failures: number
  error: string
}

/** Enabled enrollments whose last push failed and that still have commands waiting. */
async function retryCandidates(db: Db): Promise<RetryCandidate[]> {
  const rows = await db
    .selectFrom('mdm_enrollments as e')
    .select(['e.id', 'e.last_push_at', 'e.push_failures', 'e.last_push_error'])
    .where('e.enabled', '=', 1)
    .where('e.last_push_error', 'is not', null)
    .where('e.last_push_at', 'is not', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('mdm_enrollment_queue as q')
          .select('q.id')
          .whereRef('q.enrollment_id', '=', 'e.id')
          .where('q.active', '=', 1)
          .where((inner) =>
            inner.not(
              inner.exists(
                inner
                  .selectFrom('mdm_command_results as r')
                  .select('r.command_uuid')
                  .whereRef('r.enrollment_id', '=', 'q.enrollment_id')
                  .whereRef('r.command_uuid', '=', 'q.command_uuid')
                  .where('r.status', '!=', 'NotNow'),
              ),
            ),
          ),
      ),
    )
    .orderBy('e.last_push_at')
    .limit(BATCH)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    lastPushAt: Number(r.last_push_at),
    failures: Number(r.push_failures),
    error: r.last_push_error ?? '',
  }))
}

/**
 * Re-pushes enrollments whose push failed for a passing reason (network, APNs 429/5xx, a broken
 * connection) and that have commands waiting, with back-off per enrollment; permanent answers
 * are left alone. The pusher records each new outcome (a good push resets the count).
 */
export function pushRetryJob(deps: { db: Db; clock: Clock; pusher: Pusher }): CronJob {
  return {
    name: 'mdm_apple_push_retry',
    intervalMs: PUSH_RETRY_BASE_MS,
    async run() {
      const now = deps.clock.now().getTime()
      const due = (await retryCandidates(deps.db)).filter(
        (c) => !isPermanentPushError(c.error) && now >= c.lastPushAt + retryDelayMs(c.failures),
      )
      if (due.length === 0) {
        return { retried: 0, sent: 0 }
      }
      const results = await deps.pusher.push(due.map((c) => c.id))
      return {
        retried: due.length,
        sent: results.filter((r) => r.outcome === 'sent').length,
      }
    },
  }
}
