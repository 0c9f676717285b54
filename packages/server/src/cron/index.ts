export { createCronRunner, type CronRunner } from './cron-runner.js'
export { lastRuns } from './cron-locks.store.js'
