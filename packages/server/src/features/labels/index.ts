export {
  createLabelQueryProvider,
  LABELS_CHANGED,
  type LabelQueryProvider,
} from './label-queries.js'
export { registerLabelRoutes } from './labels.routes.js'
