import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { registerAppConfigRoutes } from './app-config.routes.js'
import { createAppConfigService, type AppConfigService } from './app-config.service.js'

/** The organization settings, cached on every instance (see `createAppConfigService`). */
export const APP_CONFIG = defineService<AppConfigService>('app config')

/** Organization settings: `/config`, `/version`, and the cached settings other modules read. */
export const appConfigModule: FeatureModule = {
  name: 'app-config',
  build: ({ deps }) => {
    const appConfig = createAppConfigService(deps)
    return {
      provides: [provide(APP_CONFIG, appConfig)],
      routes: (r) => registerAppConfigRoutes(r, { appConfig }),
      subscriptions: appConfig.subscriptions,
    }
  },
}
