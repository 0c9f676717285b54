import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { HOST_DELETION } from '../hosts/index.js'
import { MDM_COMMAND_QUEUE } from '../mdm-commands/index.js'
import { APPLE_MDM } from '../mdm-setup/index.js'
import { createDeclarativeHook, type DeclarativeHook } from './declarative-hook.js'
import { registerCheckinRoutes } from './mdm-checkin.routes.js'
import { detachHosts } from './mdm-checkin.store.js'

/** Where the DDM feature registers its DeclarativeManagement handler. */
export const MDM_DECLARATIVE_HOOK = defineService<DeclarativeHook>('MDM DeclarativeManagement hook')

/** Apple MDM's device endpoint: check-ins and command reports at the ServerURL. */
export const mdmCheckinModule: FeatureModule = {
  name: 'mdm-checkin',
  build: ({ deps, use }) => {
    const declarative = createDeclarativeHook()
    const s = { deps, mdm: use(APPLE_MDM), queue: use(MDM_COMMAND_QUEUE), declarative }
    use(HOST_DELETION).register(detachHosts)
    return {
      provides: [provide(MDM_DECLARATIVE_HOOK, declarative)],
      routes: (r) => registerCheckinRoutes(r.app, s),
    }
  },
}
