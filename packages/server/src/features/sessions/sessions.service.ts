import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { hashToken, randomToken } from '../../platform/ids.js'
import { ErrorCode } from '@fleet/api'
import { isExpired, TOUCH_INTERVAL_MS, type Session } from './session.js'
import * as store from './sessions.store.js'

/** Opens a session for a user (inside the caller's transaction); returns the bearer token. */
export async function createSession(
  trx: Db,
  userId: number,
  now: number,
): Promise<{ token: string; sessionId: number }> {
  const token = randomToken(32)
  const sessionId = await store.insertSession(trx, userId, hashToken(token), now)
  return { token, sessionId }
}

/**
 * The live session a bearer token names, or undefined. Expired sessions are deleted on sight;
 * `accessed_at` is refreshed at most once a minute.
 */
export async function resolveSession(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  token: string,
  isApiOnly: (userId: number) => Promise<boolean | undefined>,
): Promise<Session | undefined> {
  const session = await store.findSessionByTokenHash(deps.db, hashToken(token))
  if (!session) {
    return undefined
  }
  const apiOnly = await isApiOnly(session.userId)
  if (apiOnly === undefined) {
    return undefined
  }
  const now = deps.clock.now().getTime()
  if (isExpired(session, now, deps.config.session.duration, apiOnly)) {
    await store.deleteSession(deps.db, session.id)
    return undefined
  }
  if (now - session.accessedAt > TOUCH_INTERVAL_MS) {
    await store.touchSession(deps.db, session.id, now)
  }
  return session
}

async function ownedSession(
  deps: Pick<Deps, 'db'>,
  ctx: RequestCtx,
  id: number,
  action: 'read' | 'delete',
): Promise<Session> {
  const session = await store.findSession(deps.db, id)
  // Authorize before revealing whether the session exists.
  authorize(ctx.authz, { type: 'session', userId: session?.userId ?? -1 }, action)
  if (!session) {
    throw new NotFoundError('session', ErrorCode.SESSION_NOT_FOUND)
  }
  return session
}

export function getSession(deps: Pick<Deps, 'db'>, ctx: RequestCtx, id: number): Promise<Session> {
  return ownedSession(deps, ctx, id, 'read')
}

export async function deleteSession(
  deps: Pick<Deps, 'db'>,
  ctx: RequestCtx,
  id: number,
): Promise<void> {
  const session = await ownedSession(deps, ctx, id, 'delete')
  await store.deleteSession(deps.db, session.id)
}

export async function listUserSessions(
  deps: Pick<Deps, 'db'>,
  ctx: RequestCtx,
  userId: number,
): Promise<Session[]> {
  authorize(ctx.authz, { type: 'session', userId }, 'read')
  return store.listSessionsOfUser(deps.db, userId)
}

export async function deleteUserSessions(
  deps: Pick<Deps, 'db'>,
  ctx: RequestCtx,
  userId: number,
): Promise<void> {
  authorize(ctx.authz, { type: 'session', userId }, 'delete')
  await store.deleteSessionsOfUser(deps.db, userId)
}

/** Ends the caller's own session (logout). */
export async function endOwnSession(deps: Pick<Deps, 'db'>, ctx: RequestCtx): Promise<void> {
  authorize(ctx.authz, { type: 'session', userId: ctx.authz.subject?.userId ?? -1 }, 'delete')
  if (ctx.sessionId !== undefined) {
    await store.deleteSession(deps.db, ctx.sessionId)
  }
}

/** Revokes a user's other sessions after a password change (inside the caller's transaction). */
export function revokeSessions(trx: Db, userId: number, exceptSessionId?: number): Promise<void> {
  return store.deleteSessionsOfUser(trx, userId, exceptSessionId)
}
