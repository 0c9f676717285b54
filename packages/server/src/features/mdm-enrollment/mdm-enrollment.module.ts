import type { FeatureModule } from '../../modules/index.js'
import { APP_CONFIG } from '../app-config/index.js'
import { APPLE_MDM } from '../mdm-setup/index.js'
import { registerEnrollmentRoutes } from './mdm-enrollment.routes.js'

/** The signed Apple MDM enrollment profile (manual enrollment and the device download path). */
export const mdmEnrollmentModule: FeatureModule = {
  name: 'mdm-enrollment',
  build: ({ deps, use }) => {
    const s = { deps, mdm: use(APPLE_MDM), appConfig: use(APP_CONFIG) }
    return { routes: (r) => registerEnrollmentRoutes(r, s) }
  },
}
