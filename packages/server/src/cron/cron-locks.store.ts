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

/** What marking a run found: the mark is this owner's now, or another run holds it since `since`. */
export type RunMark = { kind: 'marked' } | { kind: 'running'; since: number }

/**
 * Marks `owner` as running the job until `until`, unless a run is marked whose lease has not
 * lapsed: at most one run of a job at a time across instances. Atomic like `tryAcquireLock`: the
 * conditional UPDATE or the first INSERT decides.
 */
export async function tryMarkRunning(
  db: Db,
  run: { name: string; owner: string; now: number; until: number },
): Promise<RunMark> {
  const mark = { running_owner: run.owner, running_since: run.now, running_until: run.until }
  const updated = await db
    .updateTable('cron_locks')
    .set(mark)
    .where('name', '=', run.name)
    .where((eb) => eb.or([eb('running_until', 'is', null), eb('running_until', '<=', run.now)]))
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) > 0) {
    return { kind: 'marked' }
  }
  try {
    // The job's first run anywhere: a lapsed lock (expires_at 0) leaves its schedule as it was.
    await db
      .insertInto('cron_locks')
      .values({ name: run.name, owner: run.owner, expires_at: 0, last_run_at: null, ...mark })
      .execute()
    return { kind: 'marked' }
  } catch (err) {
    if (!isUniqueViolation(err)) {
      throw err
    }
  }
  const row = await db
    .selectFrom('cron_locks')
    .select('running_since')
    .where('name', '=', run.name)
    .executeTakeFirst()
  return { kind: 'running', since: row?.running_since ?? run.now }
}

/** Extends `owner`'s mark on a run in progress to `until`. */
export async function renewRunning(
  db: Db,
  run: { name: string; owner: string; until: number },
): Promise<void> {
  await db
    .updateTable('cron_locks')
    .set({ running_until: run.until })
    .where('name', '=', run.name)
    .where('running_owner', '=', run.owner)
    .execute()
}

/** Clears `owner`'s mark once its run ended (another owner's mark is left alone). */
export async function clearRunning(db: Db, run: { name: string; owner: string }): Promise<void> {
  await db
    .updateTable('cron_locks')
    .set({ running_owner: null, running_since: null, running_until: null })
    .where('name', '=', run.name)
    .where('running_owner', '=', run.owner)
    .execute()
}
