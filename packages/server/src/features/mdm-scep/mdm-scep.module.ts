import type { FeatureModule } from '../../modules/index.js'
import { APPLE_MDM } from '../mdm-setup/index.js'
import { registerScepRoutes } from './mdm-scep.routes.js'

/** The SCEP server that issues Apple devices their MDM identity certificates. */
export const mdmScepModule: FeatureModule = {
  name: 'mdm-scep',
  build: ({ deps, use }) => {
    const scep = { deps, mdm: use(APPLE_MDM) }
    return { routes: (r) => registerScepRoutes(r.app, scep) }
  },
}
