import { hasGlobalRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** 2017-style packs and their scheduled queries (global). */
    pack: object
  }
}

/**
 * Fleet's policy.rego ("2017 Packs (deprecated)"): global admins, maintainers and gitops read and
 * write packs; nobody else sees them.
 */
export const packRules = {
  pack: (subject, action) =>
    action !== 'assign_role' && hasGlobalRole(subject, 'admin', 'maintainer', 'gitops'),
} satisfies RuleSet
