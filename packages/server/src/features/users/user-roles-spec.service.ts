import { ErrorCode, type Role, type UserRolesSpec } from '@fleet/api'
import type { z } from 'zod'
import { authorize } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordRoleChanges } from './role-activities.js'
import type { User } from './user.js'
import { assertAdminRemains, checkRoles } from './user-role-checks.js'
import * as store from './users.store.js'
import type { UserDeps } from './users.service.js'

type Spec = z.output<typeof UserRolesSpec>

interface RoleChange {
  user: User
  nextGlobalRole: Role | null
  teams: { id: number; role: Role }[]
}

/** Each spec entry checked against the database: its user by email, its teams by exact name. */
async function resolve(
  { db, teams: directory }: Pick<UserDeps, 'db' | 'teams'>,
  spec: Spec,
): Promise<RoleChange[]> {
  const teamIds = new Map((await directory.all(db)).map((team) => [team.name, team.id]))
  const changes: RoleChange[] = []
  for (const [email, roles] of Object.entries(spec.roles)) {
    const user = await store.findUserByEmail(db, email)
    if (!user) {
      throw new NotFoundError(`user ${email}`, ErrorCode.USER_NOT_FOUND)
    }
    const teams = (roles.teams ?? []).map(({ team, role }) => {
      const id = teamIds.get(team)
      if (id === undefined) {
        throw InvalidArgumentError.field('teams', `team ${team} does not exist`)
      }
      return { id, role }
    })
    const nextGlobalRole = roles.global_role ?? null
    checkRoles(nextGlobalRole, teams, user.apiOnly)
    changes.push({ user, nextGlobalRole, teams })
  }
  return changes
}

/**
 * `POST /users/roles/spec` (`fleetctl apply` of `kind: user_roles`): every listed user gets exactly
 * the global role or team roles given; global admins only (Fleet's ApplyUserRolesSpecs). All or
 * nothing: an unknown user (404) or team (400), or a spec that leaves no global admin (409),
 * changes no one.
 */
export async function applyUserRolesSpec(
  deps: Pick<UserDeps, 'db' | 'clock' | 'teams'>,
  ctx: RequestCtx,
  spec: Spec,
): Promise<void> {
  authorize(ctx.authz, { type: 'user', globalRole: null, teamIds: [] }, 'assign_role')
  const changes = await resolve(deps, spec)
  await assertAdminRemains(deps.db, changes)
  const now = deps.clock.now().getTime()
  await deps.db.transaction().execute(async (trx) => {
    for (const { user, nextGlobalRole, teams } of changes) {
      await store.updateUser(trx, user.id, { globalRole: nextGlobalRole }, now)
      await store.setUserTeams(trx, user.id, teams)
      const updated = await store.findUser(trx, user.id)
      if (updated) {
        await recordRoleChanges(trx, deps, ctx, user, updated)
      }
    }
  })
}
