import { hasGlobalRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** A login session of the user `userId`. */
    session: { userId: number }
  }
}

/** Sessions belong to their user, and to global admins. */
export const sessionRules = {
  session: (subject, _action, { userId }) =>
    userId === subject.userId || hasGlobalRole(subject, 'admin'),
} satisfies RuleSet
