import { ALL_ENDPOINTS, buildOpenApi, getOpenApi } from '@fleet/api'
import type { FastifyInstance } from 'fastify'
import { AUTHZ_RULES } from './authz-rules.js'
import type { Deps } from './deps.js'
import { registerActivityRoutes } from './features/activities/index.js'
import {
  createAppConfigService,
  registerAppConfigRoutes,
  type AppConfigService,
} from './features/app-config/index.js'
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
import {
  createLogSinks,
  createOsqueryLogService,
  type LogSinks,
  type OsqueryLogService,
} from './features/osquery-logs/index.js'
import {
  createQuerySchedule,
  createResultLogProcessor,
  findQuery,
  registerQueryRoutes,
  type ReportSettingsSource,
} from './features/queries/index.js'
import {
  createPolicyQueryProvider,
  hostPolicySources,
  registerPolicyRoutes,
  webhookSettingsSource,
} from './features/policies/index.js'
import {
  createLiveQueries,
  registerLiveQueryRoutes,
  registerLiveQuerySocket,
  type LiveQueries,
} from './features/live-queries/index.js'
import { registerSessionRoutes } from './features/sessions/index.js'
import { registerSetupRoutes } from './features/setup/index.js'
import { createTeamAgentOptionsCache, registerTeamRoutes } from './features/teams/index.js'
import { createLoginService, registerUserRoutes } from './features/users/index.js'
import { createAuthorizer, skipAuthorization } from './platform/authz/index.js'
import { listen } from './platform/pubsub/index.js'
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
  /** Where `/api/osquery/log` sends logs (tests flush its sinks). */
  osqueryLogs: OsqueryLogService
  /** Live-query campaigns (tests reach the registry and the orphan sweep). */
  liveQueries: LiveQueries
  /** Stops accepting requests and releases what the server subscribed to (not the db or pub/sub). */
  close(): Promise<void>
}

const LANDING_PAGE = `<!doctype html><meta charset="utf-8"><title>Fleet</title>
<h1>Fleet</h1>
<p>This is the Fleet server's API. Set it up and manage it with <code>fleetctl</code>:</p>
<pre>fleetctl config set --address https://localhost:8080 --tls-skip-verify
fleetctl setup --email admin@example.com --name Admin --password '…' --org-name 'My org'</pre>
<p>API reference: <a href="/api/latest/fleet/openapi.json">/api/latest/fleet/openapi.json</a></p>`

/** Fleet's default when `server_settings.query_report_cap` is unset (0). */
const DEFAULT_QUERY_REPORT_CAP = 1000

/** Query report settings from the (cached) app config. */
function queryReportSettings(appConfig: AppConfigService): ReportSettingsSource {
  return async () => {
    const { server_settings: settings } = await appConfig.current()
    return {
      disabled: settings.query_reports_disabled,
      cap: settings.query_report_cap > 0 ? settings.query_report_cap : DEFAULT_QUERY_REPORT_CAP,
    }
  }
}

/** Assembles every feature's routes on one HTTP app. */
export async function buildServer(
  deps: Deps,
  options: {
    https?: { key: string; cert: string }
    validateResponses?: boolean
    /** Where osquery logs go instead of the configured destinations (tests). */
    osqueryLogSinks?: LogSinks
  } = {},
): Promise<FleetServer> {
  // First: a bad log destination setting must stop start-up before anything runs.
  const logSinks = options.osqueryLogSinks ?? createLogSinks(deps.config, deps.log)
  const appConfig = createAppConfigService(deps)
  const auth = createLoginService(deps)
  const teamAgentOptions = createTeamAgentOptionsCache(deps.db)
  const agentSources = createAgentSources(deps, appConfig, teamAgentOptions)
  const labelQueries = createLabelQueryProvider(deps)
  const policyWebhooks = webhookSettingsSource(deps.db, appConfig)
  const policyQueries = createPolicyQueryProvider(deps, policyWebhooks)
  const reportSettings = queryReportSettings(appConfig)
  const querySchedule = createQuerySchedule(deps, reportSettings)
  const unsubscribeCaches = await listen(deps.pubsub, deps.log, [
    ...appConfig.subscriptions,
    ...teamAgentOptions.subscriptions,
    ...labelQueries.subscriptions,
    ...policyQueries.subscriptions,
    ...querySchedule.subscriptions,
  ])
  const liveQueries = createLiveQueries(deps, {
    savedQueries: { find: (id) => findQuery(deps.db, id) },
    liveQueryDisabled: async () => (await appConfig.current()).server_settings.live_query_disabled,
  })
  await liveQueries.start()
  const agents = createHostAgentService(
    deps,
    { ...agentSources, packs: (teamId, platform) => querySchedule.packsFor(teamId, platform) },
    [labelQueries, policyQueries, liveQueries.provider],
  )
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
  const osqueryLogs = createOsqueryLogService(
    logSinks,
    createResultLogProcessor(deps, querySchedule, reportSettings),
  )
  const app = createHttpApp({
    log: deps.log,
    authorizer: createAuthorizer(AUTHZ_RULES),
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
  registerHostRoutes(r, deps, (ids) => agents.cache.invalidate(ids), hostPolicySources(deps.db))
  registerLabelRoutes(r, deps)
  registerPolicyRoutes(r, deps, policyWebhooks)
  registerQueryRoutes(r, deps, reportSettings)
  registerLiveQueryRoutes(r, deps, liveQueries)
  await registerLiveQuerySocket(r, liveQueries)
  registerOsqueryRoutes(app, agents, deps, osqueryLogs)
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
    osqueryLogs,
    liveQueries,
    close: async () => {
      await app.close()
      await liveQueries.stop()
      await osqueryLogs.close()
      await orbit.stop()
      await agents.stop()
      await unsubscribeCaches()
    },
  }
}
