import { ANY_READER, hasGlobalRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** Labels are global. */
    label: object
  }
}

/** Everyone reads labels; global maintainers, admins and gitops write them. */
export const labelRules = {
  label: (subject, action) =>
    action === 'read' || action === 'list'
      ? hasGlobalRole(subject, ...ANY_READER, 'gitops') || subject.teamRoles.size > 0
      : hasGlobalRole(subject, 'admin', 'maintainer', 'gitops'),
} satisfies RuleSet
