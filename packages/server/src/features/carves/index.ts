export { beginCarve, CarveRequestError, storeCarveBlock } from './carves.service.js'
export { carveRules } from './carves.rules.js'
export { carvesModule } from './carves.module.js'
