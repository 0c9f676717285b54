import type { Role } from '@fleet/api'
import type { Db } from '../../db/database.js'
import { ConflictError, InvalidArgumentError } from '../../platform/errors/index.js'
import { roleProblem, type User } from './user.js'
import * as store from './users.store.js'

/** 400 naming the field at fault when the roles break Fleet's rules (see roleProblem). */
export function checkRoles(
  globalRole: Role | null | undefined,
  teams: readonly { id: number; role: Role }[],
  apiOnly: boolean,
): void {
  const problem = roleProblem(globalRole, teams, apiOnly)
  if (problem) {
    throw InvalidArgumentError.field(teams.length > 0 ? 'teams' : 'global_role', problem)
  }
}

/**
 * 409 unless a global admin remains once each user in `changes` has its next global role
 * (`null` also for a user being deleted).
 */
export async function assertAdminRemains(
  db: Db,
  changes: readonly { user: User; nextGlobalRole: Role | null | undefined }[],
): Promise<void> {
  const demoted = new Set(
    changes
      .filter((c) => c.user.globalRole === 'admin' && c.nextGlobalRole !== 'admin')
      .map((c) => c.user.id),
  )
  if (demoted.size === 0 || changes.some((c) => c.nextGlobalRole === 'admin')) {
    return
  }
  const users = await store.listUsers(db, { orderKey: 'id', direction: 'asc', offset: 0 })
  if (users.every((u) => u.globalRole !== 'admin' || demoted.has(u.id))) {
    throw new ConflictError('cannot remove or demote the last global admin')
  }
}
