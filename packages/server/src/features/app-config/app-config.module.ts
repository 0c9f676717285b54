import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { activityExpiryJob } from '../activities/index.js'
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
      cronJobs: [
        activityExpiryJob(deps, async () => {
          const { activity_expiry_settings: expiry } = await appConfig.current()
          return expiry.activity_expiry_enabled ? expiry.activity_expiry_window : undefined
        }),
      ],
    }
  },
}
