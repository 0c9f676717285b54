import {
  applyUserRolesSpec,
  changePassword,
  createUser,
  deleteUser,
  getMe,
  getUser,
  listUsers,
  login,
  logout,
  modifyUser,
  performRequiredPasswordReset,
  requirePasswordReset,
  type User as UserJson,
} from '@fleet/api'
import { createHash } from 'node:crypto'
import type { Deps } from '../../deps.js'
import { isoTime } from '../../platform/clock.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import type { LoginService } from './login.service.js'
import type { User } from './user.js'
import { applyUserRolesSpec as applyRoles } from './user-roles-spec.service.js'
import * as service from './users.service.js'

function gravatarUrl(email: string): string {
  return `https://www.gravatar.com/avatar/${createHash('md5').update(email.trim().toLowerCase()).digest('hex')}?d=blank`
}

/** A user on the wire, Fleet's shape. */
export function presentUser(user: User): UserJson {
  return {
    id: user.id,
    created_at: isoTime(user.createdAt),
    updated_at: isoTime(user.updatedAt),
    name: user.name,
    email: user.email,
    global_role: user.globalRole,
    enabled: true,
    force_password_reset: user.forcePasswordReset,
    gravatar_url: gravatarUrl(user.email),
    sso_enabled: user.ssoEnabled,
    mfa_enabled: false,
    api_only: user.apiOnly,
    teams: user.teams.map((t) => ({
      id: t.teamId,
      name: t.teamName,
      description: t.teamDescription,
      role: t.role,
    })),
  }
}

export function registerUserRoutes(
  r: EndpointRegistrar,
  { deps, auth }: { deps: Deps; auth: LoginService },
): void {
  registerEndpoint(r, login, async ({ body }, ctx) => {
    const { user, token } = await auth.login(ctx, body.email, body.password)
    return {
      user: presentUser(user),
      available_teams: await service.availableTeams(deps.db, user),
      token,
    }
  })
  registerEndpoint(
    r,
    logout,
    async (_input, ctx) => {
      await auth.logout(ctx)
      return {}
    },
    { allowDuringPasswordReset: true },
  )
  registerEndpoint(
    r,
    getMe,
    async (_input, ctx) => {
      const user = await auth.me(ctx)
      return {
        user: presentUser(user),
        available_teams: await service.availableTeams(deps.db, user),
      }
    },
    { allowDuringPasswordReset: true },
  )
  registerEndpoint(r, changePassword, async ({ body }, ctx) => {
    await auth.changePassword(ctx, body.old_password, body.new_password)
    return {}
  })
  registerEndpoint(
    r,
    performRequiredPasswordReset,
    async ({ body }, ctx) => ({
      user: presentUser(await auth.performRequiredPasswordReset(ctx, body.new_password)),
    }),
    { allowDuringPasswordReset: true },
  )
  registerEndpoint(r, listUsers, async ({ query }, ctx) => ({
    users: (await service.listUsers(deps, ctx, query)).map(presentUser),
  }))
  registerEndpoint(r, createUser, async ({ body }, ctx) => {
    const { user, token } = await service.createUser(deps, ctx, body)
    return token === undefined ? { user: presentUser(user) } : { user: presentUser(user), token }
  })
  registerEndpoint(r, getUser, async ({ params }, ctx) => {
    const user = await service.getUser(deps, ctx, params.id)
    return { user: presentUser(user), available_teams: await service.availableTeams(deps.db, user) }
  })
  registerEndpoint(r, modifyUser, async ({ params, body }, ctx) => ({
    user: presentUser(await service.modifyUser(deps, ctx, params.id, body)),
  }))
  registerEndpoint(r, deleteUser, async ({ params }, ctx) => {
    await service.deleteUser(deps, ctx, params.id)
    return {}
  })
  registerEndpoint(r, requirePasswordReset, async ({ params, body }, ctx) => ({
    user: presentUser(await service.requirePasswordReset(deps, ctx, params.id, body.require)),
  }))
  registerEndpoint(r, applyUserRolesSpec, async ({ body }, ctx) => {
    await applyRoles(deps, ctx, body.spec)
    return {}
  })
}
