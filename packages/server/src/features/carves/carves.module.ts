import type { FeatureModule } from '../../modules/index.js'
import { expiredCarvesJob } from './carves.cron.js'
import { registerCarveRoutes } from './carves.routes.js'

/** File carves: osquery uploads them in blocks (protocols/osquery), users list and download them. */
export const carvesModule: FeatureModule = {
  name: 'carves',
  build: ({ deps }) => ({
    routes: (r) => registerCarveRoutes(r, { deps }),
    cronJobs: [expiredCarvesJob(deps)],
  }),
}
