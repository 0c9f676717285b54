import type { Deps } from '../../deps.js'
import type { CronJob } from '../../platform/cron-job.js'
import type { CommandQueue } from '../mdm-commands/index.js'
import { sendDeviceConfigured } from './device-configured.js'
import type { DepSyncDeps } from './dep-sync-deps.js'
import { syncAbmDevices } from './dep-sync.js'

/** Fleet's DEP syncer: every minute, each token's device changes and profile assignments. */
export function depSyncJob(s: DepSyncDeps): CronJob {
  return {
    name: 'mdm_apple_dep_syncer',
    intervalMs: 60_000,
    run: async () => ({ ...(await syncAbmDevices(s)) }),
  }
}

/** DeviceConfigured for ABM devices that enrolled in Setup Assistant (a short wait at most). */
export function deviceConfiguredJob(
  deps: Pick<Deps, 'db' | 'clock'>,
  queue: CommandQueue,
): CronJob {
  return {
    name: 'mdm_apple_dep_device_configured',
    intervalMs: 10_000,
    run: async () => sendDeviceConfigured(deps, queue),
  }
}
