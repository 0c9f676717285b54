import * as activities from './activities.js'
import * as appConfig from './app-config.js'
import * as carves from './carves.js'
import * as cron from './cron.js'
import { defineEndpoint, type Endpoint } from './contract.js'
import * as device from './device.js'
import * as enrollSecrets from './enroll-secrets.js'
import * as mdmAbm from './mdm-abm.js'
import * as mdmAppleSetup from './mdm-apple-setup.js'
import * as mdmCommands from './mdm-commands.js'
import * as mdmProfiles from './mdm-profiles.js'
import * as mdmProfileDelivery from './mdm-profile-delivery.js'
import * as secretVariables from './secret-variables.js'
import * as hostReport from './host-report.js'
import * as hosts from './hosts.js'
import * as labels from './labels.js'
import * as liveQueries from './live-queries.js'
import * as osVersions from './os-versions.js'
import * as packs from './packs.js'
import * as policies from './policies.js'
import * as queries from './queries.js'
import * as schedule from './schedule.js'
import * as sessions from './sessions.js'
import * as setup from './setup.js'
import * as targets from './targets.js'
import * as teams from './teams.js'
import * as translate from './translate.js'
import * as users from './users.js'
import { z } from 'zod'

export const getOpenApi = defineEndpoint({
  method: 'GET',
  path: '/openapi.json',
  mount: 'fleet',
  tag: 'Meta',
  summary: 'This OpenAPI document',
  auth: 'public',
  response: z.record(z.string(), z.unknown()),
})

function endpointsOf(mod: Record<string, unknown>): Endpoint[] {
  return Object.values(mod).filter(isEndpoint)
}

function isEndpoint(value: unknown): value is Endpoint {
  return (
    typeof value === 'object' &&
    value !== null &&
    'method' in value &&
    'path' in value &&
    'mount' in value &&
    'response' in value
  )
}

/** Every REST endpoint of the contract, in documentation order. */
export const ALL_ENDPOINTS: readonly Endpoint[] = [
  ...endpointsOf(setup),
  ...endpointsOf(sessions),
  ...endpointsOf(users),
  ...endpointsOf(teams),
  ...endpointsOf(enrollSecrets),
  ...endpointsOf(appConfig),
  ...endpointsOf(activities),
  ...endpointsOf(hosts),
  ...endpointsOf(hostReport),
  ...endpointsOf(osVersions),
  ...endpointsOf(labels),
  ...endpointsOf(liveQueries),
  ...endpointsOf(targets),
  ...endpointsOf(policies),
  ...endpointsOf(queries),
  ...endpointsOf(packs),
  ...endpointsOf(schedule),
  ...endpointsOf(carves),
  ...endpointsOf(cron),
  ...endpointsOf(device),
  ...endpointsOf(translate),
  ...endpointsOf(mdmAbm),
  ...endpointsOf(mdmAppleSetup),
  ...endpointsOf(mdmCommands),
  ...endpointsOf(mdmProfiles),
  ...endpointsOf(mdmProfileDelivery),
  ...endpointsOf(secretVariables),
  getOpenApi,
]
