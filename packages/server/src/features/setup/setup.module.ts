import type { FeatureModule } from '../../modules/index.js'
import { APP_CONFIG } from '../app-config/index.js'
import { TEAM_DIRECTORY } from '../users/index.js'
import { registerSetupRoutes } from './setup.routes.js'

/** First-time setup: the first admin and the organization's settings. */
export const setupModule: FeatureModule = {
  name: 'setup',
  build: ({ deps, use }) => {
    const appConfig = use(APP_CONFIG)
    const teams = use(TEAM_DIRECTORY)
    return { routes: (r) => registerSetupRoutes(r, { deps: { ...deps, teams }, appConfig }) }
  },
}
