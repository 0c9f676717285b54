import type { FeatureModule } from '../../modules/index.js'
import { registerDeliveryRoutes } from './mdm-profile-delivery.routes.js'

/**
 * `.mobileconfig` delivery: the reconcile cron (InstallProfile / RemoveProfile), result handlers,
 * ProfileList verification, timeouts, and the status and resend endpoints.
 */
export const mdmProfileDeliveryModule: FeatureModule = {
  name: 'mdm-profile-delivery',
  build: ({ deps }) => ({
    routes: (r) => registerDeliveryRoutes(r, { deps }),
  }),
}
