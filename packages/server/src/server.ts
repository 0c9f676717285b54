import { fileURLToPath } from 'node:url'
import { ALL_ENDPOINTS, buildOpenApi, getOpenApi } from '@fleet/api'
import type { FastifyInstance } from 'fastify'
import { AUTHZ_RULES } from './authz-rules.js'
import type { Deps } from './deps.js'
import { activitiesModule } from './features/activities/index.js'
import { appConfigModule } from './features/app-config/index.js'
import { carvesModule } from './features/carves/index.js'
import { enrollSecretsModule } from './features/enroll-secrets/index.js'
import {
  hostsModule,
  type HostAgentService,
  type OrbitAgentService,
} from './features/hosts/index.js'
import { labelsModule } from './features/labels/index.js'
import { mdmAbmModule } from './features/mdm-abm/index.js'
import { mdmCheckinModule } from './features/mdm-checkin/index.js'
import { mdmCommandsModule } from './features/mdm-commands/index.js'
import { mdmCommandApiModule } from './features/mdm-command-api/index.js'
import { mdmProfilesModule } from './features/mdm-profiles/index.js'
import { secretVariablesModule } from './features/secret-variables/index.js'
import { mdmProfileDeliveryModule } from './features/mdm-profile-delivery/index.js'
import { mdmDdmModule } from './features/mdm-ddm/index.js'
import { LIVE_QUERIES, liveQueriesModule, type LiveQueries } from './features/live-queries/index.js'
import {
  OSQUERY_LOG_SINKS,
  OSQUERY_LOGS,
  osqueryLogsModule,
  type LogSinks,
  type OsqueryLogService,
} from './features/osquery-logs/index.js'
import { mdmEnrollmentModule } from './features/mdm-enrollment/index.js'
import { mdmScepModule } from './features/mdm-scep/index.js'
import { mdmSetupModule } from './features/mdm-setup/index.js'
import { packsModule } from './features/packs/index.js'
import { policiesModule } from './features/policies/index.js'
import { queriesModule } from './features/queries/index.js'
import { sessionsModule } from './features/sessions/index.js'
import { setupModule } from './features/setup/index.js'
import { teamsModule } from './features/teams/index.js'
import { translatorModule } from './features/translator/index.js'
import { countUsers, LOGIN_SERVICE, usersModule } from './features/users/index.js'
import {
  buildModules,
  provide,
  startModules,
  type FeatureModule,
  type ProvidedService,
} from './modules/index.js'
import type { CronJob } from './platform/cron-job.js'
import { createCronRunner, registerTriggerRoutes, type CronRunner } from './cron/index.js'
import { createAuthorizer, skipAuthorization } from './platform/authz/index.js'
import {
  createHttpApp,
  registerEndpoint,
  registerHealthCheck,
  registerWebApp,
  loadWebAssets,
  type EndpointRegistrar,
  type WebAssets,
} from './platform/http/index.js'
import { deviceModule } from './protocols/device/device.module.js'
import { ORBIT_SERVICE, orbitModule } from './protocols/orbit/orbit.module.js'
import { HOST_AGENT_SERVICE, osqueryModule } from './protocols/osquery/osquery.module.js'
import { SERVER_VERSION } from './version.js'

/**
 * Every feature and protocol of the server, in the order they are built, get their routes and
 * start (they stop in reverse). A module may use only services of modules before it, so
 * providers come first; the osquery protocol asks hosts the questions of every module before it.
 * Adding a feature: docs/adding-a-feature.md.
 */
export const MODULES: readonly FeatureModule[] = [
  appConfigModule,
  teamsModule, // provides the team directory users reads team names from
  usersModule,
  sessionsModule,
  setupModule,
  enrollSecretsModule,
  activitiesModule,
  labelsModule,
  policiesModule,
  queriesModule,
  packsModule,
  osqueryLogsModule,
  liveQueriesModule,
  carvesModule,
  osqueryModule,
  hostsModule,
  orbitModule,
  deviceModule,
  translatorModule,
  mdmSetupModule,
  mdmScepModule,
  mdmEnrollmentModule,
  mdmCommandsModule, // after the MDM set-up module, whose push certificates it uses
  mdmCheckinModule, // after the command queue it reports into
  mdmCommandApiModule, // after mdm-commands, whose queue it uses
  secretVariablesModule, // before the profiles that reference secrets
  mdmProfilesModule,
  mdmProfileDeliveryModule, // after mdm-commands (its queue) and mdm-profiles
  mdmDdmModule, // after check-in (its DeclarativeManagement hook) and the command queue
  mdmAbmModule,
]

export interface FleetServer {
  app: FastifyInstance
  agents: HostAgentService
  orbit: OrbitAgentService
  /** Where `/api/osquery/log` sends logs (tests flush its sinks). */
  osqueryLogs: OsqueryLogService
  /** Live-query campaigns (tests reach the registry and the orphan sweep). */
  liveQueries: LiveQueries
  /** Every module's periodic jobs. */
  cronJobs: readonly CronJob[]
  /**
   * Runs `cronJobs`: `fleet serve` starts it; `POST /trigger` runs a job now through it. Stopped
   * by `close()`.
   */
  cron: CronRunner
  /**
   * Stops accepting requests, then stops every module (reverse order) even if some fail; throws
   * an AggregateError of their errors at the end. Leaves the db and pub/sub open.
   */
  close(): Promise<void>
}

/** Where the build puts the web console: packages/server/web, beside src/ and dist/. */
export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url))

/**
 * The server's own endpoints: the OpenAPI document, the health check, the cron trigger and the
 * web console at `/`.
 */
function registerServerRoutes(
  r: EndpointRegistrar,
  deps: Deps,
  cron: CronRunner,
  web: WebAssets | undefined,
): void {
  const openApi = buildOpenApi(ALL_ENDPOINTS, SERVER_VERSION)
  registerEndpoint(r, getOpenApi, (_input, ctx) => {
    skipAuthorization(ctx.authz)
    return Promise.resolve(openApi)
  })
  registerHealthCheck(r.app, deps)
  registerTriggerRoutes(r, { cron })
  registerWebApp(r.app, web, async () => (await countUsers(deps.db)) === 0)
}

/**
 * Builds the server from `MODULES`: builds every module, registers their
 * routes on one HTTP app, then starts them. A start that fails stops what had started and closes
 * the app before the error is rethrown.
 */
export async function buildServer(
  deps: Deps,
  options: {
    https?: { key: string; cert: string }
    validateResponses?: boolean
    /** Where osquery logs go instead of the configured destinations (tests). */
    osqueryLogSinks?: LogSinks
    /** The built web console's folder; `WEB_ROOT` by default. */
    webRoot?: string
  } = {},
): Promise<FleetServer> {
  const provided: ProvidedService[] = []
  if (options.osqueryLogSinks) {
    provided.push(provide(OSQUERY_LOG_SINKS, options.osqueryLogSinks))
  }
  const built = await buildModules(deps, MODULES, provided)
  const app = createHttpApp({
    log: deps.log,
    authorizer: createAuthorizer(AUTHZ_RULES),
    bodyLimit: deps.config.server.max_body_bytes,
    trustProxy: deps.config.server.trust_proxy,
    https: options.https,
  })
  const r: EndpointRegistrar = {
    app,
    authenticate: built.use(LOGIN_SERVICE).authenticate,
    validateResponses: options.validateResponses ?? false,
  }
  const cron = createCronRunner(deps, built.cronJobs)
  await built.registerRoutes(r)
  registerServerRoutes(r, deps, cron, loadWebAssets(options.webRoot ?? WEB_ROOT))
  const stopModules = await startModules(built.modules, deps).catch(async (err: unknown) => {
    await app.close()
    throw err
  })

  return {
    app,
    agents: built.use(HOST_AGENT_SERVICE),
    orbit: built.use(ORBIT_SERVICE),
    osqueryLogs: built.use(OSQUERY_LOGS),
    liveQueries: built.use(LIVE_QUERIES),
    cronJobs: built.cronJobs,
    cron,
    close: async () => {
      await app.close()
      await cron.stop()
      await stopModules()
    },
  }
}
