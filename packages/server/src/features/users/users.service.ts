import {
  ErrorCode,
  listLimits,
  type CreateUserRequest,
  type ModifyUserRequest,
  type Role,
} from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { authorize, hasGlobalRole, type Action } from '../../platform/authz/index.js'
import {
  AlreadyExistsError,
  ForbiddenError,
  InvalidArgumentError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import { createSession, revokeSessions } from '../sessions/index.js'
import { hashPassword, passwordProblem, verifyPassword } from './password.js'
import type { User } from './user.js'
import { assertAdminRemains, checkRoles } from './user-role-checks.js'
import { recordRoleChanges } from './role-activities.js'
import { teamsOfUsers, type TeamDirectory, type TeamInfo } from './team-directory.js'
import * as store from './users.store.js'

/** What users' services need: the shared deps and the teams they read names from. */
export type UserDeps = Pick<Deps, 'db' | 'clock' | 'config'> & { teams: TeamDirectory }

async function mustFindUser(db: Db, id: number): Promise<User> {
  const user = await store.findUser(db, id)
  if (!user) {
    throw new NotFoundError(`user ${id}`, ErrorCode.USER_NOT_FOUND)
  }
  return user
}

async function checkTeamsExist(deps: UserDeps, teams: readonly { id: number }[]): Promise<void> {
  const existing = await deps.teams.byIds(
    deps.db,
    teams.map((t) => t.id),
  )
  const missing = teams.filter((t) => !existing.has(t.id)).map((t) => t.id)
  if (missing.length > 0) {
    throw InvalidArgumentError.field('teams', `team ${missing.join(', ')} does not exist`)
  }
}

function checkPassword(field: string, password: string): void {
  const problem = passwordProblem(password)
  if (problem) {
    throw new ValidationError([{ name: field, reason: problem }])
  }
}

async function checkEmailFree(db: Db, email: string, exceptId?: number): Promise<void> {
  if (await store.emailTaken(db, email, exceptId)) {
    throw new AlreadyExistsError(
      'email',
      'a user with this email already exists',
      ErrorCode.USER_EMAIL_EXISTS,
    )
  }
}

/**
 * Inserts a user with roles and records `created_user` (inside the caller's transaction). Shared by
 * user creation and first-time setup; callers authorize and validate first.
 */
/** Teams the user can pick in the UI: all of them for global users, else their own. */
export async function availableTeams(deps: UserDeps, user: User): Promise<TeamInfo[]> {
  if (user.globalRole) {
    return deps.teams.all(deps.db)
  }
  const teams = await teamsOfUsers(deps.teams, deps.db, [user])
  return [...teams.values()].sort((a, b) => a.name.localeCompare(b.name))
}

export async function insertUserRecord(
  trx: Db,
  deps: UserDeps,
  ctx: Pick<RequestCtx, 'actor'>,
  input: {
    name: string
    email: string
    passwordHash: string
    globalRole: Role | null
    teams: readonly { id: number; role: Role }[]
    apiOnly: boolean
    ssoEnabled: boolean
    forcePasswordReset: boolean
  },
): Promise<User> {
  const now = deps.clock.now().getTime()
  const id = await store.insertUser(trx, { ...input, now })
  await store.setUserTeams(trx, id, input.teams)
  const user = await mustFindUser(trx, id)
  await recordActivity(trx, deps.clock, ctx, {
    type: 'created_user',
    details: { user_id: id, user_name: user.name, user_email: user.email },
  })
  await recordRoleChanges(trx, deps, ctx, undefined, user)
  return user
}

/** `POST /users/admin`: global admins create anyone; team admins create users on their teams. */
export async function createUser(
  deps: UserDeps,
  ctx: RequestCtx,
  input: CreateUserRequest,
): Promise<{ user: User; token?: string }> {
  const teams = input.teams ?? []
  authorize(
    ctx.authz,
    { type: 'user', globalRole: input.global_role ?? null, teamIds: teams.map((t) => t.id) },
    'create',
  )
  checkRoles(input.global_role, teams, input.api_only)
  if (!input.sso_enabled && input.password === undefined) {
    throw InvalidArgumentError.field('password', 'is required unless sso_enabled is true')
  }
  checkPassword('password', input.password ?? '')
  await checkTeamsExist(deps, teams)
  await checkEmailFree(deps.db, input.email)
  const passwordHash = await hashPassword(input.password ?? '', deps.config.auth.scrypt_cost)
  return deps.db.transaction().execute(async (trx) => {
    const user = await insertUserRecord(trx, deps, ctx, {
      name: input.name,
      email: input.email,
      passwordHash,
      globalRole: input.global_role ?? null,
      teams,
      apiOnly: input.api_only,
      ssoEnabled: input.sso_enabled,
      forcePasswordReset: !input.api_only && (input.admin_forced_password_reset ?? false),
    })
    if (!input.api_only) {
      return { user }
    }
    const { token } = await createSession(trx, user.id, deps.clock.now().getTime())
    return { user, token }
  })
}

/**
 * Loads a user and authorizes `action` on them (before revealing whether they exist); 404 after.
 */
async function authorizedTarget(
  deps: UserDeps,
  ctx: RequestCtx,
  id: number,
  action: Action,
): Promise<User> {
  const user = await store.findUser(deps.db, id)
  authorize(
    ctx.authz,
    {
      type: 'user',
      userId: id,
      globalRole: user?.globalRole ?? null,
      teamIds: user?.teams.map((t) => t.teamId) ?? [],
    },
    action,
  )
  if (!user) {
    throw new NotFoundError(`user ${id}`, ErrorCode.USER_NOT_FOUND)
  }
  return user
}

export function getUser(deps: UserDeps, ctx: RequestCtx, id: number): Promise<User> {
  return authorizedTarget(deps, ctx, id, 'read')
}

const USER_ORDER_KEYS = ['id', 'name', 'email', 'created_at', 'global_role'] as const

/** Global admins see every user; team admins see the users of the teams they administer. */
export async function listUsers(
  deps: UserDeps,
  ctx: RequestCtx,
  query: {
    page?: number
    per_page?: number
    order_key?: string
    order_direction: 'asc' | 'desc'
    query?: string
    team_id?: number
  },
): Promise<User[]> {
  const subject = ctx.authz.subject
  const adminTeams = subject
    ? [...subject.teamRoles].filter(([, role]) => role === 'admin').map(([id]) => id)
    : []
  const isGlobalAdmin = subject !== undefined && hasGlobalRole(subject, 'admin')
  const scope = query.team_id !== undefined ? [query.team_id] : isGlobalAdmin ? [] : adminTeams
  authorize(ctx.authz, { type: 'user', globalRole: null, teamIds: scope }, 'list')
  const orderKey = USER_ORDER_KEYS.find((k) => k === (query.order_key ?? 'name'))
  if (!orderKey) {
    throw InvalidArgumentError.field('order_key', `must be one of ${USER_ORDER_KEYS.join(', ')}`)
  }
  return store.listUsers(deps.db, {
    query: query.query,
    teamId: query.team_id,
    withinTeamIds: isGlobalAdmin ? undefined : adminTeams,
    orderKey,
    direction: query.order_direction,
    ...listLimits(query),
  })
}

/** `PATCH /users/:id`: profile for oneself; roles, SSO and API-only flags for admins. */
export async function modifyUser(
  deps: UserDeps,
  ctx: RequestCtx,
  id: number,
  input: ModifyUserRequest,
): Promise<User> {
  const target = await authorizedTarget(deps, ctx, id, 'write')
  const currentTeamIds = target.teams.map((t) => t.teamId)
  const changesRoles = input.global_role !== undefined || input.teams !== undefined
  const nextGlobal =
    input.global_role !== undefined
      ? input.global_role
      : input.teams !== undefined
        ? null
        : target.globalRole
  const nextTeams =
    input.teams ??
    (input.global_role ? [] : target.teams.map((t) => ({ id: t.teamId, role: t.role })))
  if (changesRoles || input.api_only !== undefined || input.sso_enabled !== undefined) {
    authorize(
      ctx.authz,
      {
        type: 'user',
        userId: id,
        globalRole: nextGlobal,
        teamIds: [...new Set([...currentTeamIds, ...nextTeams.map((t) => t.id)])],
      },
      'assign_role',
    )
    checkRoles(nextGlobal, nextTeams, input.api_only ?? target.apiOnly)
    await checkTeamsExist(deps, nextTeams)
    await assertAdminRemains(deps.db, [{ user: target, nextGlobalRole: nextGlobal }])
  }
  const isSelf = ctx.authz.subject?.userId === id
  const newPassword = input.new_password ?? (isSelf ? undefined : input.password)
  const changesCredentials =
    newPassword !== undefined || (input.email !== undefined && input.email !== target.email)
  if (changesCredentials) {
    authorize(ctx.authz, { type: 'user_credentials', userId: id }, 'write')
  }
  if (isSelf && changesCredentials) {
    const hash = await store.passwordHashOf(deps.db, id)
    if (input.password === undefined || !hash || !(await verifyPassword(input.password, hash))) {
      throw new ValidationError([
        {
          name: 'password',
          reason: 'current password is required and must match to change email or password',
        },
      ])
    }
  }
  if (newPassword !== undefined) {
    checkPassword('new_password', newPassword)
  }
  if (input.email !== undefined) {
    await checkEmailFree(deps.db, input.email, id)
  }
  const passwordHash =
    newPassword === undefined
      ? undefined
      : await hashPassword(newPassword, deps.config.auth.scrypt_cost)
  return deps.db.transaction().execute(async (trx) => {
    await store.updateUser(
      trx,
      id,
      {
        name: input.name,
        email: input.email,
        passwordHash,
        globalRole: changesRoles ? nextGlobal : undefined,
        ssoEnabled: input.sso_enabled,
        apiOnly: input.api_only,
        position: input.position,
      },
      deps.clock.now().getTime(),
    )
    if (changesRoles) {
      await store.setUserTeams(trx, id, nextTeams)
    }
    if (passwordHash !== undefined) {
      await revokeSessions(trx, id, isSelf ? ctx.sessionId : undefined)
    }
    const updated = await mustFindUser(trx, id)
    await recordRoleChanges(trx, deps, ctx, target, updated)
    if (
      input.name !== undefined ||
      input.email !== undefined ||
      passwordHash !== undefined ||
      input.position !== undefined
    ) {
      await recordActivity(trx, deps.clock, ctx, {
        type: 'edited_user',
        details: {
          user_id: id,
          user_name: updated.name,
          user_email: updated.email,
          password_changed: passwordHash !== undefined,
        },
      })
    }
    return updated
  })
}

export async function deleteUser(deps: UserDeps, ctx: RequestCtx, id: number): Promise<void> {
  const target = await authorizedTarget(deps, ctx, id, 'delete')
  if (ctx.authz.subject?.userId === id) {
    throw new ForbiddenError('you cannot delete your own user')
  }
  await assertAdminRemains(deps.db, [{ user: target, nextGlobalRole: null }])
  await deps.db.transaction().execute(async (trx) => {
    await store.deleteUser(trx, id)
    await recordActivity(trx, deps.clock, ctx, {
      type: 'deleted_user',
      details: { user_id: id, user_name: target.name, user_email: target.email },
    })
  })
}

/** Makes a user reset their password at next use; their sessions end. */
export async function requirePasswordReset(
  deps: UserDeps,
  ctx: RequestCtx,
  id: number,
  required: boolean,
): Promise<User> {
  const target = await authorizedTarget(deps, ctx, id, 'assign_role')
  if (target.apiOnly && required) {
    throw InvalidArgumentError.field('require', 'API-only users have no password to reset')
  }
  return deps.db.transaction().execute(async (trx) => {
    await store.updateUser(trx, id, { forcePasswordReset: required }, deps.clock.now().getTime())
    if (required) {
      await revokeSessions(trx, id)
    }
    await recordActivity(trx, deps.clock, ctx, {
      type: 'required_password_reset',
      details: { user_id: id, user_name: target.name, user_email: target.email, required },
    })
    return mustFindUser(trx, id)
  })
}
