import type { FeatureModule } from '../../modules/index.js'
import { registerTranslatorRoutes } from './translator.routes.js'

/** Fleet's translator: names and emails to ids (real `fleetctl hosts transfer` calls it). */
export const translatorModule: FeatureModule = {
  name: 'translator',
  build: ({ deps }) => ({ routes: (r) => registerTranslatorRoutes(r, { deps }) }),
}
