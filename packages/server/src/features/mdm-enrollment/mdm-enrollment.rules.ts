import { hasGlobalRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** The manual enrollment profile (it carries the SCEP challenge). */
    mdm_enrollment_profile: object
  }
}

/** Whoever may add hosts: global or team admins and maintainers. */
export const mdmEnrollmentRules = {
  mdm_enrollment_profile: (subject, action) =>
    action === 'read' &&
    (hasGlobalRole(subject, 'admin', 'maintainer') ||
      [...subject.teamRoles.values()].some((role) => role === 'admin' || role === 'maintainer')),
} satisfies RuleSet
