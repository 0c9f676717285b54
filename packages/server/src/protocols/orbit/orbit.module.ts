import {
  createOrbitAgentService,
  INVALIDATE_AGENT_HOSTS,
  type OrbitAgentService,
} from '../../features/hosts/index.js'
import { labelsOfHost } from '../../features/labels/index.js'
import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { AGENT_SOURCES } from '../osquery/osquery.module.js'
import { registerOrbitRoutes } from './orbit.routes.js'

/** fleetd's orbit service (tests drive it directly). */
export const ORBIT_SERVICE = defineService<OrbitAgentService>('orbit agent service')

/** fleetd's orbit API (`/api/fleet/orbit/*`): enroll, config, device token. */
export const orbitModule: FeatureModule = {
  name: 'orbit',
  build: ({ deps, use }) => {
    const orbit = createOrbitAgentService(
      deps,
      { ...use(AGENT_SOURCES), hostLabels: (hostId) => labelsOfHost(deps.db, hostId) },
      use(INVALIDATE_AGENT_HOSTS),
    )
    return {
      provides: [provide(ORBIT_SERVICE, orbit)],
      routes: (r) => registerOrbitRoutes(r, { orbit }),
      start: () => orbit.start(),
      stop: () => orbit.stop(),
    }
  },
}
