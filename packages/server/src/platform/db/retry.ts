import type { Kysely, Transaction } from 'kysely'

/**
 * True when the database aborted a transaction to break a deadlock or a serialization conflict:
 * MySQL/MariaDB's 1213 (ER_LOCK_DEADLOCK) and 1205 (lock wait timeout), PostgreSQL's 40P01 and
 * 40001. Running the whole transaction again is the documented remedy; nothing of it was kept.
 */
export function isRetryableConflict(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) {
    return false
  }
  const code = 'code' in err ? String(err.code) : ''
  const errno = 'errno' in err ? Number(err.errno) : 0
  return (
    code === 'ER_LOCK_DEADLOCK' ||
    code === 'ER_LOCK_WAIT_TIMEOUT' ||
    errno === 1213 ||
    errno === 1205 ||
    code === '40P01' ||
    code === '40001'
  )
}

/** How often a transaction is tried in all before its conflict reaches the caller. */
const ATTEMPTS = 4

/**
 * Runs `work` in a transaction, running it again (up to 4 times in all, after a short random
 * pause) when the database aborts it for a deadlock. Concurrent enrollments deadlocked on
 * MariaDB and reached agents as 500s. `work` must be safe to run again: everything it did in the
 * aborted attempt was rolled back, but side effects outside the database are its own business.
 */
export async function transactionWithRetry<DB, T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work)
    } catch (err) {
      if (attempt >= ATTEMPTS || !isRetryableConflict(err)) {
        throw err
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt))
    }
  }
}
