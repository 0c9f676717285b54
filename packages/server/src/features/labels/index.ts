export { createLabelQueryProvider, type LabelQueryProvider } from './label-queries.js'
export { registerLabelRoutes } from './labels.routes.js'
export { labelsOfHost } from './labels.store.js'
export type { Label } from './label.js'
