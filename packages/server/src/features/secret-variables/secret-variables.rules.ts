import { hasGlobalRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** Secret variables ($FLEET_SECRET_*): written by GitOps, never read back. */
    secret_variable: object
  }
}

/** Fleet: global admins and global gitops users write secret variables; nobody reads them. */
export const secretVariableRules = {
  secret_variable: (subject, action) =>
    action === 'write' && hasGlobalRole(subject, 'admin', 'gitops'),
} satisfies RuleSet
