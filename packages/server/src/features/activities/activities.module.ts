import type { FeatureModule } from '../../modules/index.js'
import { registerActivityRoutes } from './activities.routes.js'

/** The activity (audit) log. */
export const activitiesModule: FeatureModule = {
  name: 'activities',
  build: ({ deps }) => ({ routes: (r) => registerActivityRoutes(r, { deps }) }),
}
