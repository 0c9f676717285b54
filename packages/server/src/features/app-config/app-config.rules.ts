import { ANY_READER, hasGlobalRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** The organization settings. */
    app_config: object
    /** SMTP/SSO settings and agent options inside the app config. */
    app_config_secrets: object
    /** The server's version. */
    version: object
  }
}

/** Who reads and edits the organization settings (Fleet's manage-access matrix). */
export const appConfigRules = {
  app_config: (subject, action) =>
    action === 'read'
      ? hasGlobalRole(subject, ...ANY_READER, 'gitops') || subject.teamRoles.size > 0
      : hasGlobalRole(subject, 'admin', 'gitops'),
  app_config_secrets: (subject, action) =>
    action === 'read' ? hasGlobalRole(subject, 'admin') : hasGlobalRole(subject, 'admin', 'gitops'),
  version: () => true,
} satisfies RuleSet
