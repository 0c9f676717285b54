export { createAppConfigService, type AppConfigService } from './app-config.service.js'
export { registerAppConfigRoutes } from './app-config.routes.js'
