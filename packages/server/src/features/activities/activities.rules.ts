import { ANY_READER, hasGlobalRole, type RuleSet } from '../../platform/authz/index.js'

declare module '../../platform/authz/resources.js' {
  interface Resources {
    /** The activity (audit) log. */
    activity: object
  }
}

/** Every global role but gitops reads the activity log; nobody writes it through the API. */
export const activityRules = {
  activity: (subject, action) => action === 'read' && hasGlobalRole(subject, ...ANY_READER),
} satisfies RuleSet
