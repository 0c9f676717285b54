import type { FeatureModule } from '../../modules/index.js'
import { MDM_COMMAND_QUEUE } from '../mdm-commands/index.js'
import { profileDeliveryJob } from './mdm-profile-delivery.cron.js'
import { registerDeliveryRoutes } from './mdm-profile-delivery.routes.js'
import { registerResultHandlers } from './result-handlers.js'

/**
 * `.mobileconfig` delivery: the reconcile cron (InstallProfile / RemoveProfile), result handlers,
 * ProfileList verification, timeouts, and the status and resend endpoints.
 */
export const mdmProfileDeliveryModule: FeatureModule = {
  name: 'mdm-profile-delivery',
  build: ({ deps, use }) => {
    const queue = use(MDM_COMMAND_QUEUE)
    registerResultHandlers(queue.handlers)
    return {
      routes: (r) => registerDeliveryRoutes(r, { deps }),
      cronJobs: [
        profileDeliveryJob({
          db: deps.db,
          clock: deps.clock,
          log: deps.log,
          queue,
          pendingTimeoutMs: deps.config.mdm.apple_profile_pending_timeout,
        }),
      ],
    }
  },
}
