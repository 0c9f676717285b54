import type { Db } from '../db/database.js'
import { isUniqueViolation } from '../platform/db/index.js'

/**
 * Takes the named lock for `owner` until `expiresAt` if no one holds it or it has lapsed (even if
 * `owner` held it: a job runs once per lock period). True when `owner` took it. Safe against concurrent callers: the conditional UPDATE and the
 * primary key decide, never a read-then-write.
 */
export async function tryAcquireLock(
  db: Db,
  lock: { name: string; owner: string; now: number; expiresAt: number },
): Promise<boolean> {
  const updated = await db
    .updateTable('cron_locks')
    .set({ owner: lock.owner, expires_at: lock.expiresAt })
    .where('name', '=', lock.name)
    .where('expires_at', '<=', lock.now)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) > 0) {
    return true
  }
  try {
    await db
      .insertInto('cron_locks')
      .values({ name: lock.name, owner: lock.owner, expires_at: lock.expiresAt, last_run_at: null })
      .execute()
    return true
  } catch (err) {
    if (isUniqueViolation(err)) {
      return false
    }
    throw err
  }
}

/** Records that `owner` finished the job at `at` (only while it still holds the lock). */
export async function recordRun(
  db: Db,
  run: { name: string; owner: string; at: number },
): Promise<void> {
  await db
    .updateTable('cron_locks')
    .set({ last_run_at: run.at })
    .where('name', '=', run.name)
    .where('owner', '=', run.owner)
    .execute()
}

/** When each job last finished, by name (for status output and tests). */
export async function lastRuns(db: Db): Promise<Map<string, number | null>> {
  const rows = await db.selectFrom('cron_locks').select(['name', 'last_run_at']).execute()
  return new Map(rows.map((row) => [row.name, row.last_run_at]))
}
