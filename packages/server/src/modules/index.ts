export { buildModules, type BuiltModule, type BuiltModules } from './build-modules.js'
export {
  defineService,
  provide,
  type FeatureModule,
  type ModuleContext,
  type ModuleParts,
  type ProvidedService,
  type ServiceKey,
} from './feature-module.js'
export { startModules, type StopModules } from './lifecycle.js'
