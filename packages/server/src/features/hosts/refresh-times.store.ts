import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { upsertSuffix } from '../../platform/db/index.js'

/**
 * The schedule names of the two providers whose times Fleet's host JSON shows
 * (`label_updated_at`, `policy_updated_at`). Other providers need no entry here.
 */
export const LABEL_REFRESH = 'labels'
export const POLICY_REFRESH = 'policies'

/** One host's times for one refresh schedule. */
export interface RefreshRow {
  hostId: number
  provider: string
  since: number
  refreshedAt: number
}

/** Rows per INSERT: small enough that one statement blocks SQLite ~1 ms. */
const WRITE_CHUNK = 250

/** Every stored refresh time (read once at start; kept current in memory afterwards). */
export async function allRefreshTimes(db: Db): Promise<RefreshRow[]> {
  const rows = await db
    .selectFrom('host_refresh_times')
    .select(['host_id', 'provider', 'asked_since', 'refreshed_at'])
    .execute()
  return rows.map((r) => ({
    hostId: r.host_id,
    provider: r.provider,
    since: Number(r.asked_since),
    refreshedAt: Number(r.refreshed_at),
  }))
}

/**
 * Writes buffered refresh times, a chunk of rows per upsert, yielding to the event loop between
 * chunks (on embedded SQLite each statement runs on the main thread).
 */
export async function writeRefreshTimes(db: Db, rows: readonly RefreshRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    const values = rows
      .slice(i, i + WRITE_CHUNK)
      .map((r) => sql`(${r.hostId}, ${r.provider}, ${r.since}, ${r.refreshedAt})`)
    await sql`INSERT INTO host_refresh_times (host_id, provider, asked_since, refreshed_at)
      VALUES ${sql.join(values)}
      ${upsertSuffix(db, ['host_id', 'provider'], ['asked_since', 'refreshed_at'])}`.execute(db)
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}

/** Forgets hosts' refresh times (enrollment starts them over; deletion removes the host). */
export async function deleteRefreshTimes(db: Db, hostIds: readonly number[]): Promise<void> {
  for (let i = 0; i < hostIds.length; i += 1000) {
    await db
      .deleteFrom('host_refresh_times')
      .where('host_id', 'in', hostIds.slice(i, i + 1000))
      .execute()
  }
}
