export { beginCarve, CarveRequestError, storeCarveBlock } from './carves.service.js'
export { registerCarveRoutes } from './carves.routes.js'
export { expiredCarvesJob } from './carves.cron.js'
export { carveRules } from './carves.rules.js'
