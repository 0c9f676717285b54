import { ANY_READER, hasGlobalRole, teamRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** `teamId` undefined: a team not yet created, or the list of teams. */
    team: { teamId?: number }
  }
}

/**
 * Everyone lists teams (team users see only theirs); global readers and team members read a team;
 * global admins and gitops create, delete and edit teams; team admins edit their own.
 */
export const teamRules = {
  team: (subject, action, { teamId }) => {
    if (action === 'list') {
      return true
    }
    if (action === 'read') {
      return (
        hasGlobalRole(subject, ...ANY_READER, 'gitops') ||
        (teamId !== undefined && teamRole(subject, teamId) !== undefined)
      )
    }
    if (action === 'create' || action === 'delete') {
      return hasGlobalRole(subject, 'admin', 'gitops')
    }
    return (
      hasGlobalRole(subject, 'admin', 'gitops') ||
      (teamId !== undefined && teamRole(subject, teamId) === 'admin')
    )
  },
} satisfies RuleSet
