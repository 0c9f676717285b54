import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { APP_CONFIG } from '../app-config/index.js'
import { APPLE_MDM } from '../mdm-setup/index.js'
import { createEnrollTokenChecks, type EnrollTokenChecks } from './enroll-tokens.js'
import { registerEnrollmentRoutes } from './mdm-enrollment.routes.js'

/** Where automatic enrollment adds its DEP profiles' enrollment tokens. */
export const MDM_ENROLL_TOKENS = defineService<EnrollTokenChecks>('MDM enrollment tokens')

/** The signed Apple MDM enrollment profile (manual enrollment and the device download path). */
export const mdmEnrollmentModule: FeatureModule = {
  name: 'mdm-enrollment',
  build: ({ deps, use }) => {
    const tokens = createEnrollTokenChecks()
    const s = { deps, mdm: use(APPLE_MDM), appConfig: use(APP_CONFIG), tokens }
    return {
      provides: [provide(MDM_ENROLL_TOKENS, tokens)],
      routes: (r) => registerEnrollmentRoutes(r, s),
    }
  },
}
