export { createAppConfigService, type AppConfigService } from './app-config.service.js'
export { registerAppConfigRoutes } from './app-config.routes.js'
export { APP_CONFIG_CHANGED } from './app-config.channels.js'
export { appConfigRules } from './app-config.rules.js'
