import { hasGlobalRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** ABM server tokens and the public key ABM encrypts them to. */
    abm_token: object
  }
}

/** Fleet: only global admins see or change ABM tokens (and their key). */
export const abmRules = {
  abm_token: (subject) => hasGlobalRole(subject, 'admin'),
} satisfies RuleSet
