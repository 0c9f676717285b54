import {
  hasGlobalRole,
  readableHostTeams,
  teamRole,
  type RuleSet,
} from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** A host (`teamId` null: no team; undefined: hosts in general, for lists). `write` = transfer. */
    host: { teamId?: number | null }
  }
}

/**
 * Global readers read every host and team readers their teams' hosts (gitops, global or team, is
 * write-only: it neither lists nor reads hosts, as in Fleet); global admins and maintainers
 * delete any, team admins and maintainers their team's; only global admins, maintainers and gitops
 * transfer hosts.
 */
export const hostRules = {
  host: (subject, action, { teamId }) => {
    const roleOnTeam = typeof teamId === 'number' ? teamRole(subject, teamId) : undefined
    switch (action) {
      case 'read':
      case 'list': {
        const teams = readableHostTeams(subject)
        if (teams === undefined) {
          return true
        }
        // A list needs a reader role on some team (the list is then filtered to those teams).
        return action === 'list'
          ? teams.length > 0
          : typeof teamId === 'number' && teams.includes(teamId)
      }
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
