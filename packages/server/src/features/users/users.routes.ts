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
import { teamsOfUsers, type TeamDirectory, type TeamsById } from './team-directory.js'
import type { User } from './user.js'
import { applyUserRolesSpec as applyRoles } from './user-roles-spec.service.js'
import * as service from './users.service.js'

function gravatarUrl(email: string): string {
  return `https://www.gravatar.com/avatar/${createHash('md5').update(email.trim().toLowerCase()).digest('hex')}?d=blank`
}

/** A user on the wire, Fleet's shape; `teams` names the teams of its memberships. */
export function presentUser(user: User, teams: TeamsById): UserJson {
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
    teams: user.teams
      .flatMap((t) => {
        const team = teams.get(t.teamId)
        return team
          ? [{ id: team.id, name: team.name, description: team.description, role: t.role }]
          : []
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
  }
}

export function registerUserRoutes(
  r: EndpointRegistrar,
  { deps, auth, teams }: { deps: Deps; auth: LoginService; teams: TeamDirectory },
): void {
  const usersDeps = { ...deps, teams }
  /** The users on the wire, with their teams' names. */
  const present = async (users: readonly User[]): Promise<UserJson[]> => {
    const names = await teamsOfUsers(teams, deps.db, users)
    return users.map((user) => presentUser(user, names))
  }
  const presentOne = async (user: User): Promise<UserJson> => (await present([user]))[0] as UserJson
  registerEndpoint(r, login, async ({ body }, ctx) => {
    const { user, token } = await auth.login(ctx, body.email, body.password)
    return {
      user: await presentOne(user),
      available_teams: await service.availableTeams(usersDeps, user),
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
        user: await presentOne(user),
        available_teams: await service.availableTeams(usersDeps, user),
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
      user: await presentOne(await auth.performRequiredPasswordReset(ctx, body.new_password)),
    }),
    { allowDuringPasswordReset: true },
  )
  registerEndpoint(r, listUsers, async ({ query }, ctx) => ({
    users: await present(await service.listUsers(usersDeps, ctx, query)),
  }))
  registerEndpoint(r, createUser, async ({ body }, ctx) => {
    const { user, token } = await service.createUser(usersDeps, ctx, body)
    const json = await presentOne(user)
    return token === undefined ? { user: json } : { user: json, token }
  })
  registerEndpoint(r, getUser, async ({ params }, ctx) => {
    const user = await service.getUser(usersDeps, ctx, params.id)
    return {
      user: await presentOne(user),
      available_teams: await service.availableTeams(usersDeps, user),
    }
  })
  registerEndpoint(r, modifyUser, async ({ params, body }, ctx) => ({
    user: await presentOne(await service.modifyUser(usersDeps, ctx, params.id, body)),
  }))
  registerEndpoint(r, deleteUser, async ({ params }, ctx) => {
    await service.deleteUser(usersDeps, ctx, params.id)
    return {}
  })
  registerEndpoint(r, requirePasswordReset, async ({ params, body }, ctx) => ({
    user: await presentOne(
      await service.requirePasswordReset(usersDeps, ctx, params.id, body.require),
    ),
  }))
  registerEndpoint(r, applyUserRolesSpec, async ({ body }, ctx) => {
    await applyRoles(usersDeps, ctx, body.spec)
    return {}
  })
}
