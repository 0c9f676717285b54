/** A user's roles as `/me` returns them (Fleet's `global_role` and per-team `teams[].role`). */
export interface UserRoles {
  global_role: string | null
  teams: readonly { id: number; role: string | null }[]
}

/** Roles that may change hosts, policies and queries (Fleet's policy.rego "write"). */
const WRITERS = new Set(['admin', 'maintainer'])

/**
 * Whether the user may change things scoped to `teamId` (null: global, or a host with no team):
 * global admins and maintainers anywhere; team admins and maintainers on their own team. Observers
 * (and observer_plus) never. The server decides; this only hides controls that would be refused.
 */
export function canWrite(user: UserRoles, teamId: number | null): boolean {
  if (user.global_role !== null) {
    return WRITERS.has(user.global_role)
  }
  if (teamId === null) {
    return false
  }
  const team = user.teams.find((t) => t.id === teamId)
  return team?.role !== undefined && team.role !== null && WRITERS.has(team.role)
}

/** Whether the user can transfer hosts between teams at all (Fleet: global admin or maintainer). */
export function canTransfer(user: UserRoles): boolean {
  return user.global_role !== null && WRITERS.has(user.global_role)
}

/** Roles that may run any SQL live (Fleet: observer_plus runs queries, but can't save them). */
const LIVE_RUNNERS = new Set(['admin', 'maintainer', 'observer_plus'])

/**
 * Whether the user may run a live query: admins, maintainers and observer_plus any query (on
 * any of their teams, for team users); observers only a saved query that allows it
 * (`observer_can_run`). The server decides; this only says so before the user tries.
 */
export function canRunLiveQuery(user: UserRoles, observerCanRun: boolean): boolean {
  const roles = user.global_role !== null ? [user.global_role] : user.teams.map((t) => t.role ?? '')
  if (roles.some((role) => LIVE_RUNNERS.has(role))) {
    return true
  }
  return observerCanRun && roles.includes('observer')
}

/**
 * Whether the user may change settings: the organization's (`teamId` null) only as a global
 * admin; a team's (its agent options) also as that team's admin (Fleet's manage-access matrix).
 */
export function canEditSettings(user: UserRoles, teamId: number | null): boolean {
  if (user.global_role !== null) {
    return user.global_role === 'admin'
  }
  return teamId !== null && user.teams.some((t) => t.id === teamId && t.role === 'admin')
}

/**
 * Whether the hosts list offers bulk actions and "Add hosts": for one team, writers of that team;
 * for all teams, anyone who writes somewhere (a team maintainer sees only their teams' hosts).
 */
export function canManageHosts(user: UserRoles, teamId: number | undefined): boolean {
  if (user.global_role !== null || teamId !== undefined) {
    return canWrite(user, teamId ?? null)
  }
  return user.teams.some((t) => t.role !== null && WRITERS.has(t.role))
}
