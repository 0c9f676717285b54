import type { Role } from '@fleet/api'
import {
  hasGlobalRole,
  teamRole,
  type Action,
  type ResourceOf,
  type RuleSet,
  type Subject,
} from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /**
     * A user. `userId` undefined for one being created. `globalRole`/`teamIds` describe the target
     * as it is and as it would become, so a team admin can't reach beyond their teams.
     */
    user: { userId?: number; globalRole: Role | null; teamIds: readonly number[] }
    /** A user's email and password (`write`): only the user (with their password) or a global admin. */
    user_credentials: { userId: number }
  }
}

function isTeamAdminOfAll(subject: Subject, teamIds: readonly number[]): boolean {
  return teamIds.length > 0 && teamIds.every((id) => teamRole(subject, id) === 'admin')
}

function canUser(subject: Subject, action: Action, target: ResourceOf<'user'>): boolean {
  if (hasGlobalRole(subject, 'admin')) {
    return true
  }
  const isSelf = target.userId !== undefined && target.userId === subject.userId
  if (isSelf && (action === 'read' || action === 'write')) {
    return true
  }
  if (action === 'list') {
    return target.teamIds.length > 0 && isTeamAdminOfAll(subject, target.teamIds)
  }
  if (action === 'read') {
    return target.teamIds.some((id) => teamRole(subject, id) === 'admin')
  }
  // create, write, delete by a team admin: only users wholly inside the admin's teams.
  return target.globalRole === null && isTeamAdminOfAll(subject, target.teamIds)
}

/**
 * Global admins manage every user; anyone reads and edits themselves (but never assigns their own
 * roles); team admins manage users wholly inside their teams, but never their email or password
 * (Fleet's change_password: that would take the account over).
 */
export const userRules = {
  user: canUser,
  user_credentials: (subject, action, { userId }) =>
    action === 'write' && (subject.userId === userId || hasGlobalRole(subject, 'admin')),
} satisfies RuleSet
