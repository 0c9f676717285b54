import type { Role } from '@fleet/api'
import { hasGlobalRole, teamRole, type Subject } from './subject.js'

/** Everything an authorization decision can be about. */
export type Resource =
  | { type: 'app_config' }
  /** SMTP/SSO settings and agent options inside the app config. */
  | { type: 'app_config_secrets' }
  | { type: 'activity' }
  | { type: 'version' }
  /** `teamId` undefined: a team not yet created, or the list of teams. */
  | { type: 'team'; teamId?: number }
  /** `teamId` null: the global enroll secrets. */
  | { type: 'enroll_secret'; teamId: number | null }
  /**
   * A user. `userId` undefined for one being created. `globalRole`/`teamIds` describe the target
   * as it is and as it would become, so a team admin can't reach beyond their teams.
   */
  | { type: 'user'; userId?: number; globalRole: Role | null; teamIds: readonly number[] }
  | { type: 'session'; userId: number }
  /** File carves: metadata for maintainers and admins; contents for admins only. */
  | { type: 'carve' }
  | { type: 'carve_contents' }
  /** Labels are global: everyone reads them; global maintainers, admins and gitops write them. */
  | { type: 'label' }
  /** A host (`teamId` null: no team; undefined: hosts in general, for lists). `write` = transfer. */
  | { type: 'host'; teamId?: number | null }
  /**
   * A saved query and its report (`teamId` null: a global query). Global admins, maintainers and
   * gitops write any; team admins, maintainers and gitops their team's. Every global role reads
   * all; team roles read their team's and (except gitops) the global ones.
   */
  | { type: 'query'; teamId: number | null }
  /**
   * Running a query live (`create` a campaign; reading one's results needs the same with
   * `observerCanRun: true`). `observerCanRun` is false for ad-hoc SQL; `targetTeamIds` are the
   * teams selected as targets, when any were (team users may only select their own).
   */
  | { type: 'live_query'; observerCanRun: boolean; targetTeamIds?: readonly number[] }
  /**
   * A policy (`teamId` null: a global policy). Global admins, maintainers and gitops write any;
   * team admins, maintainers and gitops their team's. Global readers and gitops read all; team
   * roles read their team's, and (except gitops) the global ones their hosts inherit.
   */
  | { type: 'policy'; teamId: number | null }

/** `assign_role`: set a user's global or team roles (never allowed on oneself by the self rule). */
export type Action = 'read' | 'list' | 'write' | 'create' | 'delete' | 'assign_role'

const ANY_READER: Role[] = ['admin', 'maintainer', 'observer', 'observer_plus']

function isTeamMember(subject: Subject, teamId: number): boolean {
  return teamRole(subject, teamId) !== undefined
}

function isTeamAdminOfAll(subject: Subject, teamIds: readonly number[]): boolean {
  return teamIds.length > 0 && teamIds.every((id) => teamRole(subject, id) === 'admin')
}

function canUser(
  subject: Subject,
  action: Action,
  target: Extract<Resource, { type: 'user' }>,
): boolean {
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

function canHost(subject: Subject, action: Action, teamId: number | null | undefined): boolean {
  const teamRoleOfHost = typeof teamId === 'number' ? teamRole(subject, teamId) : undefined
  switch (action) {
    case 'read':
    case 'list':
      return (
        hasGlobalRole(subject, ...ANY_READER) ||
        (action === 'list' && subject.teamRoles.size > 0) ||
        teamRoleOfHost !== undefined
      )
    case 'delete':
      return (
        hasGlobalRole(subject, 'admin', 'maintainer') ||
        teamRoleOfHost === 'admin' ||
        teamRoleOfHost === 'maintainer'
      )
    case 'write':
      return hasGlobalRole(subject, 'admin', 'maintainer', 'gitops')
    case 'create':
    case 'assign_role':
      return false
  }
}

function canQuery(subject: Subject, action: Action, teamId: number | null): boolean {
  const roleOnTeam = teamId === null ? undefined : teamRole(subject, teamId)
  if (action === 'read' || action === 'list') {
    if (hasGlobalRole(subject, ...ANY_READER, 'gitops')) {
      return true
    }
    if (teamId === null) {
      return [...subject.teamRoles.values()].some((role) => role !== 'gitops')
    }
    return roleOnTeam !== undefined
  }
  if (action === 'assign_role') {
    return false
  }
  return (
    hasGlobalRole(subject, 'admin', 'maintainer', 'gitops') ||
    (roleOnTeam !== undefined && ['admin', 'maintainer', 'gitops'].includes(roleOnTeam))
  )
}

function canPolicy(subject: Subject, action: Action, teamId: number | null): boolean {
  const roleOnTeam = teamId === null ? undefined : teamRole(subject, teamId)
  switch (action) {
    case 'read':
    case 'list':
      if (hasGlobalRole(subject, ...ANY_READER, 'gitops')) {
        return true
      }
      return teamId === null
        ? [...subject.teamRoles.values()].some((role) => role !== 'gitops')
        : roleOnTeam !== undefined
    case 'write':
    case 'create':
    case 'delete':
      return (
        hasGlobalRole(subject, 'admin', 'maintainer', 'gitops') ||
        (roleOnTeam !== undefined && ['admin', 'maintainer', 'gitops'].includes(roleOnTeam))
      )
    case 'assign_role':
      return false
  }
}

/**
 * Fleet's "run queries live" rows: admins, maintainers and observer+ run anything; observers only
 * queries marked observer_can_run. Team users: with their role on every selected team, or on any
 * team when no team is selected (their targets are then limited to their teams' hosts).
 */
function canRunLive(
  subject: Subject,
  resource: Extract<Resource, { type: 'live_query' }>,
): boolean {
  const roles: Role[] = resource.observerCanRun
    ? ['admin', 'maintainer', 'observer', 'observer_plus']
    : ['admin', 'maintainer', 'observer_plus']
  if (subject.globalRole !== null) {
    return roles.includes(subject.globalRole)
  }
  const { targetTeamIds } = resource
  if (targetTeamIds !== undefined && targetTeamIds.length > 0) {
    return targetTeamIds.every((id) => {
      const role = teamRole(subject, id)
      return role !== undefined && roles.includes(role)
    })
  }
  return [...subject.teamRoles.values()].some((role) => roles.includes(role))
}

/**
 * Fleet's permission matrix (manage-access.md) as one pure function. Roles: admin, maintainer,
 * observer, observer_plus, gitops (write-only, API-only). Global and team roles are exclusive.
 */
export function can(subject: Subject, action: Action, resource: Resource): boolean {
  switch (resource.type) {
    case 'version':
      return true
    case 'app_config':
      if (action === 'read') {
        return hasGlobalRole(subject, ...ANY_READER, 'gitops') || subject.teamRoles.size > 0
      }
      return hasGlobalRole(subject, 'admin', 'gitops')
    case 'app_config_secrets':
      return action === 'read'
        ? hasGlobalRole(subject, 'admin')
        : hasGlobalRole(subject, 'admin', 'gitops')
    case 'activity':
      return action === 'read' && hasGlobalRole(subject, ...ANY_READER)
    case 'team': {
      const { teamId } = resource
      if (action === 'list') {
        return true
      }
      if (action === 'read') {
        return (
          hasGlobalRole(subject, ...ANY_READER, 'gitops') ||
          (teamId !== undefined && isTeamMember(subject, teamId))
        )
      }
      if (action === 'create' || action === 'delete') {
        return hasGlobalRole(subject, 'admin', 'gitops')
      }
      return (
        hasGlobalRole(subject, 'admin', 'gitops') ||
        (teamId !== undefined && teamRole(subject, teamId) === 'admin')
      )
    }
    case 'enroll_secret': {
      const { teamId } = resource
      if (action === 'read' || action === 'list') {
        if (hasGlobalRole(subject, 'admin', 'maintainer')) {
          return true
        }
        return teamId !== null && ['admin', 'maintainer'].includes(teamRole(subject, teamId) ?? '')
      }
      if (hasGlobalRole(subject, 'admin', 'maintainer', 'gitops')) {
        return true
      }
      return teamId !== null && ['admin', 'maintainer'].includes(teamRole(subject, teamId) ?? '')
    }
    case 'user':
      return canUser(subject, action, resource)
    case 'session':
      return resource.userId === subject.userId || hasGlobalRole(subject, 'admin')
    case 'host':
      return canHost(subject, action, resource.teamId)
    case 'carve':
      return (
        (action === 'read' || action === 'list') && hasGlobalRole(subject, 'admin', 'maintainer')
      )
    case 'carve_contents':
      return action === 'read' && hasGlobalRole(subject, 'admin')
    case 'query':
      return canQuery(subject, action, resource.teamId)
    case 'live_query':
      return action === 'create' && canRunLive(subject, resource)
    case 'policy':
      return canPolicy(subject, action, resource.teamId)
    case 'label':
      return action === 'read' || action === 'list'
        ? hasGlobalRole(subject, ...ANY_READER, 'gitops') || subject.teamRoles.size > 0
        : hasGlobalRole(subject, 'admin', 'maintainer', 'gitops')
  }
}
