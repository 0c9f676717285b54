import type { Deps } from '../../deps.js'
import type { CronJob } from '../../platform/cron-job.js'
import * as store from './activities.store.js'

const DAY_MS = 86_400_000
const BATCH = 1000

/**
 * Deletes activities older than the expiry window (`activity_expiry_settings`), hourly and in
 * batches so no statement holds a long lock, as Fleet's cleanup does. `windowDays` answers the
 * window, or undefined while expiry is off.
 */
export function activityExpiryJob(
  deps: Pick<Deps, 'db' | 'clock'>,
  windowDays: () => Promise<number | undefined>,
): CronJob {
  return {
    name: 'activities_expiry',
    intervalMs: 3_600_000,
    async run() {
      const days = await windowDays()
      if (days === undefined) {
        return { activitiesDeleted: 0 }
      }
      const before = deps.clock.now().getTime() - days * DAY_MS
      let deleted = 0
      for (;;) {
        const count = await store.deleteActivitiesBefore(deps.db, before, BATCH)
        deleted += count
        if (count < BATCH) {
          return { activitiesDeleted: deleted }
        }
      }
    },
  }
}
