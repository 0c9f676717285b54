import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { APPLE_MDM } from '../mdm-setup/index.js'
import { createApnsConnections } from './apns-connections.js'
import { createApnsPusher } from './apns-pusher.js'
import { createCommandQueue, type CommandQueue } from './command-queue.js'
import { setupPushCertificates } from './push-certificates.js'
import { pushRetryJob } from './push-retry.js'
import { createResultHandlers } from './result-handlers.js'

/** The MDM command queue (and its pusher), for check-in and the profile/DDM features. */
export const MDM_COMMAND_QUEUE = defineService<CommandQueue>('MDM command queue')

/** Apple MDM's command channel: the per-enrollment queue and the APNs pusher. No routes here. */
export const mdmCommandsModule: FeatureModule = {
  name: 'mdm-commands',
  build: ({ deps, use }) => {
    const connections = createApnsConnections({ baseUrl: deps.config.mdm.apple_apns_url })
    const pusher = createApnsPusher({
      db: deps.db,
      clock: deps.clock,
      log: deps.log,
      certificates: setupPushCertificates(use(APPLE_MDM)),
      connections,
      concurrency: deps.config.mdm.apple_apns_concurrency,
    })
    const queue = createCommandQueue({
      db: deps.db,
      clock: deps.clock,
      log: deps.log,
      handlers: createResultHandlers(),
      pusher,
    })
    return {
      provides: [provide(MDM_COMMAND_QUEUE, queue)],
      cronJobs: [pushRetryJob({ db: deps.db, clock: deps.clock, pusher })],
      stop: () => connections.closeAll(),
    }
  },
}
