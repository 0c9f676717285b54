import type { Deps } from '../../deps.js'
import { authorize, skipAuthorization } from '../../platform/authz/index.js'
import {
  AuthFailedError,
  ForbiddenError,
  RateLimitedError,
  ValidationError,
} from '../../platform/errors/index.js'
import type { Authenticated, RequestCtx } from '../../platform/http/index.js'
import { RateLimiter } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import { createSession, endOwnSession, resolveSession, revokeSessions } from '../sessions/index.js'
import { hashPassword, passwordProblem, verifyPassword } from './password.js'
import { subjectOf, type User } from './user.js'
import * as store from './users.store.js'

type LoginDeps = Pick<Deps, 'db' | 'clock' | 'config'>

/** Compared against when the email is unknown, so timing doesn't reveal which emails exist. */
let decoyHash: Promise<string> | undefined

export type LoginService = ReturnType<typeof createLoginService>

/** Login, logout, the current user, password changes and bearer-token authentication. */
export function createLoginService(deps: LoginDeps) {
  const limits = {
    // Fleet: 10 attempts a minute; we keep a bucket per account and one per client IP.
    byEmail: new RateLimiter({
      perMinute: deps.config.auth.login_rate_per_minute,
      burst: deps.config.auth.login_rate_per_minute,
      now: () => deps.clock.now().getTime(),
    }),
    byIp: new RateLimiter({
      perMinute: deps.config.auth.login_rate_per_minute * 3,
      burst: deps.config.auth.login_rate_per_minute * 3,
      now: () => deps.clock.now().getTime(),
    }),
  }

  function checkRate(email: string, ip: string): void {
    const wait = Math.max(limits.byIp.take(ip), limits.byEmail.take(email))
    if (wait > 0) {
      throw new RateLimitedError(wait)
    }
  }

  async function login(
    ctx: RequestCtx,
    email: string,
    password: string,
  ): Promise<{ user: User; token: string }> {
    skipAuthorization(ctx.authz)
    checkRate(email, ctx.ip)
    const found = await store.findUserWithHashByEmail(deps.db, email)
    decoyHash ??= hashPassword('decoy password 1!', deps.config.auth.scrypt_cost)
    const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash))
    if (!found || !ok) {
      await recordActivity(deps.db, deps.clock, ctx, {
        type: 'user_failed_login',
        details: { email, public_ip: ctx.ip },
      })
      ctx.log.info({ ip: ctx.ip }, 'failed login')
      throw new AuthFailedError()
    }
    const { user } = found
    const actorCtx = { actor: { id: user.id, name: user.name, email: user.email } }
    return deps.db.transaction().execute(async (trx) => {
      const { token } = await createSession(trx, user.id, deps.clock.now().getTime())
      await recordActivity(trx, deps.clock, actorCtx, {
        type: 'user_logged_in',
        details: { public_ip: ctx.ip },
      })
      return { user, token }
    })
  }

  /** Resolves a bearer token to the acting user, or undefined. */
  async function authenticate(token: string): Promise<Authenticated | undefined> {
    const session = await resolveSession(
      deps,
      token,
      async (userId) => (await store.findUser(deps.db, userId))?.apiOnly,
    )
    const user = session && (await store.findUser(deps.db, session.userId))
    if (!session || !user) {
      return undefined
    }
    return {
      authz: subjectOf(user),
      actor: { id: user.id, name: user.name, email: user.email },
      sessionId: session.id,
      forcePasswordReset: user.forcePasswordReset,
    }
  }

  async function me(ctx: RequestCtx): Promise<User> {
    const userId = ctx.authz.subject?.userId ?? -1
    const user = await store.findUser(deps.db, userId)
    authorize(
      ctx.authz,
      { type: 'user', userId, globalRole: user?.globalRole ?? null, teamIds: [] },
      'read',
    )
    if (!user) {
      throw new ForbiddenError()
    }
    return user
  }

  function logout(ctx: RequestCtx): Promise<void> {
    return endOwnSession(deps, ctx)
  }

  async function setOwnPassword(
    ctx: RequestCtx,
    user: User,
    newPassword: string,
    clearReset: boolean,
  ): Promise<User> {
    const hash = await hashPassword(newPassword, deps.config.auth.scrypt_cost)
    return deps.db.transaction().execute(async (trx) => {
      await store.updateUser(
        trx,
        user.id,
        { passwordHash: hash, ...(clearReset && { forcePasswordReset: false }) },
        deps.clock.now().getTime(),
      )
      await revokeSessions(trx, user.id, ctx.sessionId)
      await recordActivity(trx, deps.clock, ctx, {
        type: 'edited_user',
        details: {
          user_id: user.id,
          user_name: user.name,
          user_email: user.email,
          password_changed: true,
        },
      })
      return (await store.findUser(trx, user.id)) ?? user
    })
  }

  /** `POST /change_password`: needs the old password; other sessions of the user end. */
  async function changePassword(
    ctx: RequestCtx,
    oldPassword: string,
    newPassword: string,
  ): Promise<void> {
    const user = await me(ctx)
    const hash = await store.passwordHashOf(deps.db, user.id)
    if (!hash || !(await verifyPassword(oldPassword, hash))) {
      throw new ValidationError([{ name: 'old_password', reason: 'old password does not match' }])
    }
    const problem = passwordProblem(newPassword)
    if (problem) {
      throw new ValidationError([{ name: 'new_password', reason: problem }])
    }
    if (oldPassword === newPassword) {
      throw new ValidationError([{ name: 'new_password', reason: 'cannot reuse old password' }])
    }
    await setOwnPassword(ctx, user, newPassword, false)
  }

  /** `POST /perform_required_password_reset`, the only write allowed while a reset is required. */
  async function performRequiredPasswordReset(ctx: RequestCtx, newPassword: string): Promise<User> {
    const user = await me(ctx)
    if (!user.forcePasswordReset) {
      throw new ForbiddenError('no password reset is required for this user')
    }
    const problem = passwordProblem(newPassword)
    if (problem) {
      throw new ValidationError([{ name: 'new_password', reason: problem }])
    }
    const hash = await store.passwordHashOf(deps.db, user.id)
    if (hash && (await verifyPassword(newPassword, hash))) {
      throw new ValidationError([{ name: 'new_password', reason: 'cannot reuse old password' }])
    }
    return setOwnPassword(ctx, user, newPassword, true)
  }

  return { login, authenticate, me, logout, changePassword, performRequiredPasswordReset }
}
