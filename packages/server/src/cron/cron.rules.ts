import { hasGlobalRole, type RuleSet } from '../platform/authz/index.js'

declare module '../platform/authz/resources.js' {
  interface Resources {
    /** The server's cron schedules: global admins trigger them. */
    cron_schedule: object
  }
}

/** Triggering a cron schedule (`POST /trigger`) is for global admins, as in Fleet. */
export const cronRules = {
  cron_schedule: (subject, action) => action === 'write' && hasGlobalRole(subject, 'admin'),
} satisfies RuleSet
