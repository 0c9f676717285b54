import { ANY_READER, hasGlobalRole, teamRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** A policy (`teamId` null: a global policy). */
    policy: { teamId: number | null }
  }
}

/**
 * Global admins, maintainers and gitops write any policy; team admins, maintainers and gitops their
 * team's. Global readers and gitops read all; team roles read their team's, and (except gitops) the
 * global ones their hosts inherit.
 */
export const policyRules = {
  policy: (subject, action, { teamId }) => {
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
  },
} satisfies RuleSet
