import {
  applyGlobalEnrollSecrets,
  getGlobalEnrollSecrets,
  type EnrollSecret as EnrollSecretJson,
} from '@fleet/api'
import type { Deps } from '../../deps.js'
import { isoTime } from '../../platform/clock.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import type { EnrollSecret } from './enroll-secret.js'
import * as service from './enroll-secrets.service.js'

export function presentSecret(secret: EnrollSecret): EnrollSecretJson {
  return { secret: secret.secret, created_at: isoTime(secret.createdAt), team_id: secret.teamId }
}

export function registerEnrollSecretRoutes(r: EndpointRegistrar, { deps }: { deps: Deps }): void {
  registerEndpoint(r, getGlobalEnrollSecrets, async (_input, ctx) => ({
    spec: { secrets: (await service.getGlobalSecrets(deps, ctx)).map(presentSecret) },
  }))
  registerEndpoint(r, applyGlobalEnrollSecrets, async ({ body, query }, ctx) => {
    await service.applyGlobalSecrets(deps, ctx, body.spec.secrets, query.dry_run)
    return {}
  })
}
