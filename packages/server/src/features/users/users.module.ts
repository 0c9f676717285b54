import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { createLoginService, type LoginService } from './login.service.js'
import { TEAM_DIRECTORY } from './team-directory.js'
import { registerUserRoutes } from './users.routes.js'

/** Login and request authentication (the server's endpoint registrar authenticates with it). */
export const LOGIN_SERVICE = defineService<LoginService>('login')

/** Users, login and password resets. */
export const usersModule: FeatureModule = {
  name: 'users',
  build: ({ deps, use }) => {
    const auth = createLoginService(deps)
    const teams = use(TEAM_DIRECTORY)
    return {
      provides: [provide(LOGIN_SERVICE, auth)],
      routes: (r) => registerUserRoutes(r, { deps, auth, teams }),
    }
  },
}
