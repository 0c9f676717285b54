import { setup } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import type { AppConfigService } from '../app-config/index.js'
import { presentUser, type UserDeps } from '../users/index.js'
import { runSetup } from './setup.service.js'

export function registerSetupRoutes(
  r: EndpointRegistrar,
  { deps, appConfig }: { deps: Deps & UserDeps; appConfig: AppConfigService },
): void {
  registerEndpoint(r, setup, async ({ body }, ctx) => {
    const result = await runSetup(deps, appConfig, ctx, body)
    return {
      admin: presentUser(result.admin, new Map()), // a global admin: no team memberships
      org_info: { org_name: result.orgName },
      server_url: result.serverUrl,
      osquery_enroll_secret: null,
      token: result.token,
    }
  })
}
