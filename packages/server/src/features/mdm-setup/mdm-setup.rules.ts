import { hasGlobalRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** Apple MDM set-up: the APNs certificate and key, the CSR, the SCEP CA. */
    apple_mdm_setup: object
  }
}

/** Fleet's "Edit MDM settings": global admins only, for reading the certificate too. */
export const mdmSetupRules = {
  apple_mdm_setup: (subject) => hasGlobalRole(subject, 'admin'),
} satisfies RuleSet
