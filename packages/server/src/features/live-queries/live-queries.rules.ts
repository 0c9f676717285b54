import type { Role } from '@fleet/api'
import {
  teamRole,
  type ResourceOf,
  type RuleSet,
  type Subject,
} from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /**
     * Running a query live (`create` a campaign; reading one's results needs the same with
     * `observerCanRun: true`). `observerCanRun` is false for ad-hoc SQL; `targetTeamIds` are the
     * teams selected as targets, when any were (team users may only select their own).
     */
    live_query: { observerCanRun: boolean; targetTeamIds?: readonly number[] }
  }
}

/**
 * Fleet's "run queries live" rows: admins, maintainers and observer+ run anything; observers only
 * queries marked observer_can_run. Team users: with their role on every selected team, or on any
 * team when no team is selected (their targets are then limited to their teams' hosts).
 */
function canRunLive(subject: Subject, resource: ResourceOf<'live_query'>): boolean {
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

/** Only `create` (run) applies to a live query. */
export const liveQueryRules = {
  live_query: (subject, action, resource) => action === 'create' && canRunLive(subject, resource),
} satisfies RuleSet
