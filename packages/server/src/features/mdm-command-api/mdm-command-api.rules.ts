import { hasGlobalRole, teamRole, type RuleSet } from '../../platform/authz/index.js'
import { hostRules } from '../hosts/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /**
     * MDM commands on the hosts of a team (`teamId` null: no team; undefined: any, for lists and
     * for "may this user run commands anywhere").
     */
    mdm_command: { teamId?: number | null }
  }
}

/**
 * Fleet's policy.rego `mdm_command`: global admins and maintainers run commands on any host, team
 * admins and maintainers on their teams' hosts; whoever reads a host reads its commands' results
 * (observers included; gitops, write-only, neither runs nor reads: Fleet's "Execute MDM commands"
 * and "View MDM command results" rows).
 */
export const mdmCommandRules = {
  mdm_command: (subject, action, { teamId }) => {
    if (action === 'read' || action === 'list') {
      return hostRules.host(subject, action, {
        type: 'host',
        ...(teamId !== undefined && { teamId }),
      })
    }
    if (action !== 'write') {
      return false
    }
    if (hasGlobalRole(subject, 'admin', 'maintainer')) {
      return true
    }
    const roles =
      teamId === undefined
        ? [...subject.teamRoles.values()]
        : [teamId === null ? undefined : teamRole(subject, teamId)]
    return roles.some((role) => role === 'admin' || role === 'maintainer')
  },
} satisfies RuleSet
