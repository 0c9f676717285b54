import type { Role } from '@fleet/api'
import type { Subject } from '../../platform/authz/index.js'

/** A role on a team (the team's name comes from the teams feature: see `TeamDirectory`). */
export interface TeamMembership {
  teamId: number
  role: Role
}

/** A user as services see it; the password hash never leaves the store. */
export interface User {
  id: number
  createdAt: number
  updatedAt: number
  name: string
  email: string
  globalRole: Role | null
  apiOnly: boolean
  forcePasswordReset: boolean
  ssoEnabled: boolean
  position: string
  teams: TeamMembership[]
}

/** The authorization view of a user. */
export function subjectOf(user: Pick<User, 'id' | 'globalRole' | 'teams'>): Subject {
  return {
    userId: user.id,
    globalRole: user.globalRole,
    teamRoles: new Map(user.teams.map((t) => [t.teamId, t.role])),
  }
}

/**
 * Global and team roles are exclusive (Fleet's rule), and a user needs one or the other.
 * Returns the problem, or undefined.
 */
export function roleProblem(
  globalRole: Role | null | undefined,
  teams: readonly { id: number; role?: Role }[],
  apiOnly: boolean,
): string | undefined {
  if (!apiOnly && (globalRole === 'gitops' || teams.some((t) => t.role === 'gitops'))) {
    return 'the gitops role is only for API-only users'
  }
  if (globalRole && teams.length > 0) {
    return 'a user has either a global role or team roles, not both'
  }
  if (!globalRole && teams.length === 0) {
    return 'a user needs a global role or at least one team role'
  }
  if (new Set(teams.map((t) => t.id)).size !== teams.length) {
    return 'each team may appear only once'
  }
  return undefined
}
