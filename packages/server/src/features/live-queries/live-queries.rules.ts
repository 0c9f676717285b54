import {
  teamRole,
  type ResourceOf,
  type RuleSet,
  type Subject,
} from '../../platform/authz/index.js'
import { liveQueryRoles } from './live-query.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /**
     * Running a query live (`create` a campaign; reading one's results needs the same with
     * `observerCanRun: true`). `observerCanRun` is false for ad-hoc SQL; `targetTeamIds` are the
     * teams selected as targets, when any were (team users may only select their own);
     * `queryTeamId` the team of the saved query run, when it belongs to one.
     */
    live_query: {
      observerCanRun: boolean
      targetTeamIds?: readonly number[]
      queryTeamId?: number | null
    }
  }
}

/**
 * Fleet's "run queries live" rows: admins, maintainers and observer+ run anything; observers only
 * queries marked observer_can_run. Team users: with their role on every selected team, or on any
 * team when no team is selected (their targets are then limited to their teams' hosts). A team's
 * saved query also needs that role on its team: team users run global queries and their teams'.
 */
function canRunLive(subject: Subject, resource: ResourceOf<'live_query'>): boolean {
  const roles = liveQueryRoles(resource.observerCanRun)
  if (subject.globalRole !== null) {
    return roles.includes(subject.globalRole)
  }
  const { targetTeamIds, queryTeamId } = resource
  const hasRole = (teamId: number): boolean => {
    const role = teamRole(subject, teamId)
    return role !== undefined && roles.includes(role)
  }
  if (queryTeamId !== undefined && queryTeamId !== null && !hasRole(queryTeamId)) {
    return false
  }
  if (targetTeamIds !== undefined && targetTeamIds.length > 0) {
    return targetTeamIds.every(hasRole)
  }
  return [...subject.teamRoles.values()].some((role) => roles.includes(role))
}

/** Only `create` (run) applies to a live query. */
export const liveQueryRules = {
  live_query: (subject, action, resource) => action === 'create' && canRunLive(subject, resource),
} satisfies RuleSet
