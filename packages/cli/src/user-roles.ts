import { applyUserRolesSpec, Role, type User } from '@fleet/api'
import type { FleetClient } from '@fleet/client'
import { z } from 'zod'
import { doing } from './errors.js'

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
 * Sets each user's roles with one `POST /users/roles/spec`, as Fleet's fleetctl does; the server
 * resolves emails and team names and applies all or nothing (an unknown user or team changes no
 * one).
 * @returns how many users the spec names
 */
export async function applyUserRoles(client: FleetClient, spec: UserRolesSpec): Promise<number> {
  await doing('applying user roles', () => client.call(applyUserRolesSpec, { body: { spec } }))
  return Object.keys(spec.roles).length
}
