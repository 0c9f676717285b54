import type { FeatureModule } from '../../modules/index.js'
import { registerProfileRoutes } from './mdm-profiles.routes.js'

/** Apple configuration profiles and DDM declarations: storage, validation, label scoping. */
export const mdmProfilesModule: FeatureModule = {
  name: 'mdm-profiles',
  build: ({ deps }) => ({
    routes: (r) => registerProfileRoutes(r, { deps }),
  }),
}
