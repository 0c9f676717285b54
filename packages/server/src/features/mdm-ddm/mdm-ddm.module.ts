import type { FeatureModule } from '../../modules/index.js'
import { MDM_DECLARATIVE_HOOK } from '../mdm-checkin/index.js'
import { MDM_COMMAND_QUEUE } from '../mdm-commands/index.js'
import { SECRET_VARIABLES } from '../secret-variables/index.js'
import { handleDeclarative, type DdmDeps } from './ddm-endpoints.js'
import { onDeclarativeManagementResult } from './ddm-results.js'
import { reconcileDeclarationsJob } from './reconcile.cron.js'

/**
 * Declarative Device Management: answers DeclarativeManagement check-ins (through check-in's
 * hook), tracks each host's declaration status, and reconciles hosts with their declarations.
 */
export const mdmDdmModule: FeatureModule = {
  name: 'mdm-ddm',
  build: ({ deps, use }) => {
    const queue = use(MDM_COMMAND_QUEUE)
    const secrets = use(SECRET_VARIABLES)
    const s: DdmDeps = {
      deps,
      log: deps.log.child({ feature: 'mdm-ddm' }),
      expandSecrets: (json) => secrets.expand(json),
    }
    use(MDM_DECLARATIVE_HOOK).set((request) => handleDeclarative(s, request))
    queue.handlers.register('DeclarativeManagement', onDeclarativeManagementResult)
    return {
      cronJobs: [
        reconcileDeclarationsJob({
          deps,
          queue,
          pendingTimeoutMs: deps.config.mdm.apple_profile_pending_timeout,
        }),
      ],
    }
  },
}
