import type { Deps } from '../deps.js'
import { expiredCarvesJob } from '../features/carves/index.js'
import { failingPoliciesWebhookJob, policyHostCountsJob } from '../features/policies/index.js'
import type { CronJob } from '../platform/cron-job.js'

/** Every feature's periodic jobs; add a feature's `<name>.cron.ts` job here. */
export function cronJobs(deps: Deps): CronJob[] {
  return [expiredCarvesJob(deps), policyHostCountsJob(deps), failingPoliciesWebhookJob(deps)]
}
