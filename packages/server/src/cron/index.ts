export { createCronRunner, type CronRunner, type TriggerOutcome } from './cron-runner.js'
export { lastRuns } from './cron-locks.store.js'
export { cronRules } from './cron.rules.js'
export { registerTriggerRoutes } from './trigger.routes.js'
