import { hasGlobalRole, teamRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** A team's configuration profiles and declarations (`teamId` null: "No team"). */
    mdm_config_profile: { teamId: number | null }
  }
}

/**
 * Fleet's `mdm_config_profile` policy: global admins and maintainers read and write every team's
 * profiles, team admins and maintainers their team's; gitops (global, or of the team) only write.
 * Observers see none (a profile can carry settings such as Wi-Fi passwords).
 */
export const mdmProfileRules = {
  mdm_config_profile: (subject, action, { teamId }) => {
    const roleOnTeam = teamId === null ? undefined : teamRole(subject, teamId)
    const editor =
      hasGlobalRole(subject, 'admin', 'maintainer') ||
      roleOnTeam === 'admin' ||
      roleOnTeam === 'maintainer'
    switch (action) {
      case 'read':
      case 'list':
        return editor
      case 'write':
      case 'create':
      case 'delete':
        return editor || hasGlobalRole(subject, 'gitops') || roleOnTeam === 'gitops'
      case 'assign_role':
        return false
    }
  },
} satisfies RuleSet
