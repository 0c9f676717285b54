import type { FeatureModule } from '../../modules/index.js'
import { MDM_COMMAND_QUEUE } from '../mdm-commands/index.js'
import { registerMdmCommandApiRoutes } from './mdm-command-api.routes.js'

/** Fleet's MDM commands REST: run a custom command, list commands, read their results. */
export const mdmCommandApiModule: FeatureModule = {
  name: 'mdm-command-api',
  build: ({ deps, use }) => {
    const api = { deps, queue: use(MDM_COMMAND_QUEUE) }
    return { routes: (r) => registerMdmCommandApiRoutes(r, api) }
  },
}
