export type { EnrollSecret } from './enroll-secret.js'
export { replaceScopeSecrets } from './enroll-secrets.service.js'
export { presentSecret, registerEnrollSecretRoutes } from './enroll-secrets.routes.js'
export { findSecretTeam, secretsByTeam } from './enroll-secrets.store.js'
