import { ALL_ENDPOINTS, buildOpenApi, getOpenApi } from '@fleet/api'
import type { FastifyInstance } from 'fastify'
import type { Deps } from './deps.js'
import { registerActivityRoutes } from './features/activities/index.js'
import { createAppConfigService, registerAppConfigRoutes } from './features/app-config/index.js'
import { registerCarveRoutes } from './features/carves/index.js'
import { registerEnrollSecretRoutes } from './features/enroll-secrets/index.js'
import { createLabelQueryProvider, registerLabelRoutes } from './features/labels/index.js'
import {
  createDeviceService,
  createHostAgentService,
  createOrbitAgentService,
  registerHostRoutes,
  type HostAgentService,
  type OrbitAgentService,
} from './features/hosts/index.js'
import { registerSessionRoutes } from './features/sessions/index.js'
import { registerSetupRoutes } from './features/setup/index.js'
import { registerTeamRoutes } from './features/teams/index.js'
import { createLoginService, registerUserRoutes } from './features/users/index.js'
import { skipAuthorization } from './platform/authz/index.js'
import { createHttpApp, registerEndpoint, type EndpointRegistrar } from './platform/http/index.js'
import { createDeviceSources } from './protocols/device/device-sources.js'
import { registerDeviceRoutes } from './protocols/device/device.routes.js'
import { registerOrbitRoutes } from './protocols/orbit/orbit.routes.js'
import { createAgentSources } from './protocols/osquery/agent-sources.js'
import { registerOsqueryRoutes } from './protocols/osquery/osquery.routes.js'
import { SERVER_VERSION } from './version.js'

export interface FleetServer {
  app: FastifyInstance
  agents: HostAgentService
  orbit: OrbitAgentService
  /** Stops accepting requests and releases what the server subscribed to (not the db or pub/sub). */
  close(): Promise<void>
}

const LANDING_PAGE = `<!doctype html><meta charset="utf-8"><title>Fleet</title>
<h1>Fleet</h1>
<p>This is the Fleet server's API. Set it up and manage it with <code>fleetctl</code>:</p>
<pre>fleetctl config set --address https://localhost:8080 --tls-skip-verify
fleetctl setup --email admin@example.com --name Admin --password '…' --org-name 'My org'</pre>
<p>API reference: <a href="/api/latest/fleet/openapi.json">/api/latest/fleet/openapi.json</a></p>`

/** Assembles every feature's routes on one HTTP app. */
export async function buildServer(
  deps: Deps,
  options: { https?: { key: string; cert: string }; validateResponses?: boolean } = {},
): Promise<FleetServer> {
  const appConfig = createAppConfigService(deps)
  const stopAppConfig = await appConfig.start()
  const auth = createLoginService(deps)
  const agentSources = await createAgentSources(deps, appConfig)
  const labelQueries = createLabelQueryProvider(deps)
  await labelQueries.start()
  const agents = createHostAgentService(deps, agentSources, [labelQueries])
  await agents.start()
  const invalidateAgents = (ids: readonly number[]) => agents.cache.invalidate(ids)
  const deviceSources = createDeviceSources(deps, appConfig)
  const orbit = createOrbitAgentService(
    deps,
    { ...agentSources, hostLabels: deviceSources.hostLabels },
    invalidateAgents,
  )
  orbit.start()
  const device = createDeviceService(deps, deviceSources, invalidateAgents)
  const app = createHttpApp({
    log: deps.log,
    bodyLimit: deps.config.server.max_body_bytes,
    trustProxy: deps.config.server.trust_proxy,
    https: options.https,
  })
  const r: EndpointRegistrar = {
    app,
    authenticate: auth.authenticate,
    validateResponses: options.validateResponses ?? false,
  }

  registerSetupRoutes(r, deps, appConfig)
  registerUserRoutes(r, deps, auth)
  registerSessionRoutes(r, deps)
  registerTeamRoutes(r, deps)
  registerEnrollSecretRoutes(r, deps)
  registerAppConfigRoutes(r, appConfig)
  registerActivityRoutes(r, deps)
  registerHostRoutes(r, deps, (ids) => agents.cache.invalidate(ids))
  registerLabelRoutes(r, deps)
  registerOsqueryRoutes(app, agents, deps)
  registerCarveRoutes(r, deps)
  registerOrbitRoutes(app, orbit)
  registerDeviceRoutes(r, device, deps)

  const openApi = buildOpenApi(ALL_ENDPOINTS, SERVER_VERSION)
  registerEndpoint(r, getOpenApi, (_input, ctx) => {
    skipAuthorization(ctx.authz)
    return Promise.resolve(openApi)
  })
  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(LANDING_PAGE))

  return {
    app,
    agents,
    orbit,
    close: async () => {
      await app.close()
      await orbit.stop()
      await agents.stop()
      await labelQueries.stop()
      await agentSources.stop()
      await stopAppConfig()
    },
  }
}
