export type { ActivityInput } from './activity.js'
export { recordActivity } from './activities.service.js'
export { registerActivityRoutes } from './activities.routes.js'
export { activityRules } from './activities.rules.js'
