export { labelsModule } from './labels.module.js'
export { labelsOfHost } from './labels.store.js'
export type { Label } from './label.js'
export { labelRules } from './labels.rules.js'
