import { hasGlobalRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** File carves' metadata: global maintainers and admins read it. */
    carve: object
    /** A carve's contents: global admins only. */
    carve_contents: object
  }
}

/** File carves: metadata for global maintainers and admins; contents for admins only. */
export const carveRules = {
  carve: (subject, action) =>
    (action === 'read' || action === 'list') && hasGlobalRole(subject, 'admin', 'maintainer'),
  carve_contents: (subject, action) => action === 'read' && hasGlobalRole(subject, 'admin'),
} satisfies RuleSet
