import { ANY_READER, hasGlobalRole, teamRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** A saved query and its report (`teamId` null: a global query). */
    query: { teamId: number | null }
  }
}

/**
 * Global admins, maintainers and gitops write any query; team admins, maintainers and gitops their
 * team's. Every global role reads all; team roles read their team's and (except gitops) the global
 * ones.
 */
export const queryRules = {
  query: (subject, action, { teamId }) => {
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
  },
} satisfies RuleSet
