import type { FeatureModule } from '../../modules/index.js'
import { APP_CONFIG } from '../app-config/index.js'
import { MDM_COMMAND_QUEUE } from '../mdm-commands/index.js'
import { MDM_ENROLL_TOKENS } from '../mdm-enrollment/index.js'
import { APPLE_MDM } from '../mdm-setup/index.js'
import { depSyncJob, deviceConfiguredJob } from './mdm-abm.cron.js'
import { registerAbmRoutes } from './mdm-abm.routes.js'
import { defaultDepClient, type AbmDeps } from './mdm-abm.service.js'
import { teamOfEnrollToken } from './mdm-abm.store.js'

/**
 * Apple Business Manager (DEP) automatic enrollment: ABM server tokens, the device sync with ABM,
 * the DEP enrollment profile its devices get, and DeviceConfigured once they enrolled.
 */
export const mdmAbmModule: FeatureModule = {
  name: 'mdm-abm',
  build: ({ deps, use }) => {
    const abm: AbmDeps = { deps, box: use(APPLE_MDM).box, depClient: defaultDepClient(deps) }
    const appConfig = use(APP_CONFIG)
    use(MDM_ENROLL_TOKENS).add(
      async (db, token) => (await teamOfEnrollToken(db, token)) !== undefined,
    )
    const sync = { ...abm, log: deps.log.child({ job: 'mdm_apple_dep_syncer' }), appConfig }
    return {
      routes: (r) => registerAbmRoutes(r, { abm, appConfig }),
      cronJobs: [depSyncJob(sync), deviceConfiguredJob(deps, use(MDM_COMMAND_QUEUE))],
    }
  },
}
