import { modifyUser, Role, type Team, type User } from '@fleet/api'
import type { FleetClient } from '@fleet/client'
import { z } from 'zod'
import { CliError, doing } from './errors.js'
import { listAllTeams, listAllUsers } from './lists.js'

const UserRole = z
  .object({
    global_role: Role.nullable().default(null),
    teams: z
      .array(z.object({ team: z.string().min(1), role: Role }))
      .nullable()
      .default(null),
  })
  .refine(
    (r) => r.global_role === null || r.teams === null || r.teams.length === 0,
    'cannot have both global_role and teams',
  )

/** The spec of a `kind: user_roles` document: each user's roles, keyed by email. */
export const UserRolesSpec = z.object({ roles: z.record(z.string().min(1), UserRole) })
export type UserRolesSpec = z.output<typeof UserRolesSpec>

/** Users' roles as Fleet's `get user_roles` prints them: by email, teams by name. */
export function userRolesSpecOf(users: readonly User[]): UserRolesSpec {
  const roles: UserRolesSpec['roles'] = {}
  for (const user of users) {
    roles[user.email] = {
      global_role: user.global_role,
      teams:
        user.teams.length === 0 ? null : user.teams.map((t) => ({ team: t.name, role: t.role })),
    }
  }
  return { roles }
}

/**
 * Sets each user's roles from the spec with `PATCH /users/{id}`, after checking that every
 * email and team exists, so nothing is applied when one does not.
 * @returns how many users were updated
 */
export async function applyUserRoles(client: FleetClient, spec: UserRolesSpec): Promise<number> {
  const [users, teams] = await doing('looking up users and teams', () =>
    Promise.all([listAllUsers(client), listAllTeams(client)]),
  )
  const changes = Object.entries(spec.roles).map(([email, role]) => ({
    user: userByEmail(users, email),
    global_role: role.global_role,
    teams: (role.teams ?? []).map((t) => ({ id: teamByName(teams, t.team).id, role: t.role })),
  }))
  for (const change of changes) {
    await doing(`applying roles of ${change.user.email}`, () =>
      client.call(modifyUser, {
        params: { id: change.user.id },
        body: { global_role: change.global_role, teams: change.teams },
      }),
    )
  }
  return changes.length
}

function userByEmail(users: readonly User[], email: string): User {
  const user = users.find((u) => u.email.toLowerCase() === email.toLowerCase())
  if (!user) {
    throw new CliError(`user "${email}" not found`)
  }
  return user
}

function teamByName(teams: readonly Team[], name: string): Team {
  const team = teams.find((t) => t.name === name)
  if (!team) {
    throw new CliError(`team "${name}" not found`)
  }
  return team
}
