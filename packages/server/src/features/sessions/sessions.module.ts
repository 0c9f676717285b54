import type { FeatureModule } from '../../modules/index.js'
import { registerSessionRoutes } from './sessions.routes.js'

/** Sessions of logged-in users (`/sessions/:id`). */
export const sessionsModule: FeatureModule = {
  name: 'sessions',
  build: ({ deps }) => ({ routes: (r) => registerSessionRoutes(r, { deps }) }),
}
