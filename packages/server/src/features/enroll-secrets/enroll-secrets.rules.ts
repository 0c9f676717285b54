import { hasGlobalRole, teamRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** `teamId` null: the global enroll secrets. */
    enroll_secret: { teamId: number | null }
  }
}

/**
 * Global admins and maintainers read and write every secret, gitops writes them without reading;
 * team admins and maintainers read and write their team's.
 */
export const enrollSecretRules = {
  enroll_secret: (subject, action, { teamId }) => {
    const onTeam =
      teamId !== null && ['admin', 'maintainer'].includes(teamRole(subject, teamId) ?? '')
    if (action === 'read' || action === 'list') {
      return hasGlobalRole(subject, 'admin', 'maintainer') || onTeam
    }
    return hasGlobalRole(subject, 'admin', 'maintainer', 'gitops') || onTeam
  },
} satisfies RuleSet
