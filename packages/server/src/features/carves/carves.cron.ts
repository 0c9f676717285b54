import type { Deps } from '../../deps.js'
import type { CronJob } from '../../platform/cron-job.js'
import { CARVE_TTL_MS } from './carve.js'
import * as store from './carves.store.js'

const BATCH = 50

/**
 * Deletes the contents of carves past their 24 hours, in batches so no statement holds a long
 * lock; the carve stays listed (`expired: true`), as in Fleet.
 */
export function expiredCarvesJob(deps: Pick<Deps, 'db' | 'clock'>): CronJob {
  return {
    name: 'carves_expired_blocks',
    intervalMs: 3_600_000,
    async run() {
      const before = deps.clock.now().getTime() - CARVE_TTL_MS
      let purged = 0
      for (;;) {
        const ids = await store.carvesWithBlocksBefore(deps.db, before, BATCH)
        await store.deleteBlocks(deps.db, ids)
        purged += ids.length
        if (ids.length < BATCH) {
          return { carvesPurged: purged }
        }
      }
    },
  }
}
