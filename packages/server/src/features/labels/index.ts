export { labelsModule } from './labels.module.js'
export { findLabelByName, labelsOfHost } from './labels.store.js'
export type { Label } from './label.js'
export { labelRules } from './labels.rules.js'
