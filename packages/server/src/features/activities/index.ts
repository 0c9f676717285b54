export type { ActivityInput } from './activity.js'
export { recordActivity } from './activities.service.js'
export { activityRules } from './activities.rules.js'
export { activitiesModule } from './activities.module.js'
