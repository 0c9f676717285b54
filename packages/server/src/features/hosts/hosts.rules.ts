import { ANY_READER, hasGlobalRole, teamRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** A host (`teamId` null: no team; undefined: hosts in general, for lists). `write` = transfer. */
    host: { teamId?: number | null }
  }
}

/**
 * Global readers read every host and team users their teams' hosts; global admins and maintainers
 * delete any, team admins and maintainers their team's; only global admins, maintainers and gitops
 * transfer hosts.
 */
export const hostRules = {
  host: (subject, action, { teamId }) => {
    const roleOnTeam = typeof teamId === 'number' ? teamRole(subject, teamId) : undefined
    switch (action) {
      case 'read':
      case 'list':
        return (
          hasGlobalRole(subject, ...ANY_READER) ||
          (action === 'list' && subject.teamRoles.size > 0) ||
          roleOnTeam !== undefined
        )
      case 'delete':
        return (
          hasGlobalRole(subject, 'admin', 'maintainer') ||
          roleOnTeam === 'admin' ||
          roleOnTeam === 'maintainer'
        )
      case 'write':
        return hasGlobalRole(subject, 'admin', 'maintainer', 'gitops')
      case 'create':
      case 'assign_role':
        return false
    }
  },
} satisfies RuleSet
