export { APP_CONFIG, appConfigModule } from './app-config.module.js'
export { createAppConfigService, type AppConfigService } from './app-config.service.js'
export { APP_CONFIG_CHANGED } from './app-config.channels.js'
export { appConfigRules } from './app-config.rules.js'
