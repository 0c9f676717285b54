import type { FeatureModule } from '../../modules/index.js'
import { registerEnrollSecretRoutes } from './enroll-secrets.routes.js'

/** Global and team enroll secrets. */
export const enrollSecretsModule: FeatureModule = {
  name: 'enroll-secrets',
  build: ({ deps }) => ({ routes: (r) => registerEnrollSecretRoutes(r, { deps }) }),
}
