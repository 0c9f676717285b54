export interface Session {
  id: number
  userId: number
  createdAt: number
  accessedAt: number
}

/**
 * A session expires when unused for `durationMs` (Fleet's `session.duration`); API-only users'
 * sessions never expire.
 */
export function isExpired(
  session: Session,
  now: number,
  durationMs: number,
  apiOnly: boolean,
): boolean {
  return !apiOnly && durationMs > 0 && now - session.accessedAt > durationMs
}

/** Don't rewrite accessed_at on every request: once a minute is precise enough. */
export const TOUCH_INTERVAL_MS = 60_000
