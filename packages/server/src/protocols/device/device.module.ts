import { APP_CONFIG } from '../../features/app-config/index.js'
import { createDeviceService, INVALIDATE_AGENT_HOSTS } from '../../features/hosts/index.js'
import type { FeatureModule } from '../../modules/index.js'
import { createDeviceSources } from './device-sources.js'
import { registerDeviceRoutes } from './device.routes.js'

/** The "My device" API (`/api/latest/fleet/device/{token}/*`) that Fleet Desktop opens. */
export const deviceModule: FeatureModule = {
  name: 'device',
  build: ({ deps, use }) => {
    const sources = createDeviceSources(deps, use(APP_CONFIG))
    const device = createDeviceService(deps, sources, use(INVALIDATE_AGENT_HOSTS))
    return { routes: (r) => registerDeviceRoutes(r, { device, deps }) }
  },
}
