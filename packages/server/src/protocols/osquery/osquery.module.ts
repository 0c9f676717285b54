import { APP_CONFIG } from '../../features/app-config/index.js'
import {
  createHostAgentService,
  INVALIDATE_AGENT_HOSTS,
  type AgentSources,
  type HostAgentService,
} from '../../features/hosts/index.js'
import { labelsOfHost } from '../../features/labels/index.js'
import { OSQUERY_LOGS } from '../../features/osquery-logs/index.js'
import { PACK_SCHEDULE } from '../../features/packs/index.js'
import { QUERY_SCHEDULE } from '../../features/queries/index.js'
import { TEAM_AGENT_OPTIONS } from '../../features/teams/index.js'
import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { createAgentPacks } from './agent-packs.js'
import { createAgentSources } from './agent-sources.js'
import { registerOsqueryRoutes } from './osquery.routes.js'

/** The osquery side of hosts: enroll, config, distributed read/write (tests drive it directly). */
export const HOST_AGENT_SERVICE = defineService<HostAgentService>('osquery agent service')
/** What the agent path reads from other features (orbit reads the same). */
export const AGENT_SOURCES = defineService<AgentSources>('agent sources')

/**
 * osquery's TLS API (`/api/osquery/*`) and the check-in pipeline behind it. It asks hosts the
 * questions of every module before it in the list (`agentQueryProviders`), so it comes after
 * labels, policies and live queries.
 */
export const osqueryModule: FeatureModule = {
  name: 'osquery',
  build: ({ deps, use, agentQueryProviders }) => {
    const sources = createAgentSources(deps, use(APP_CONFIG), use(TEAM_AGENT_OPTIONS))
    const packs = createAgentPacks(
      use(QUERY_SCHEDULE),
      use(PACK_SCHEDULE),
      async (hostId) => new Set((await labelsOfHost(deps.db, hostId)).map((label) => label.id)),
    )
    const agents = createHostAgentService(deps, { ...sources, packs }, agentQueryProviders())
    const logs = use(OSQUERY_LOGS)
    return {
      provides: [
        provide(HOST_AGENT_SERVICE, agents),
        provide(AGENT_SOURCES, sources),
        provide(INVALIDATE_AGENT_HOSTS, (ids) => agents.cache.invalidate(ids)),
      ],
      routes: (r) => registerOsqueryRoutes(r, { agents, deps, logs }),
      start: () => agents.start(),
      stop: () => agents.stop(),
    }
  },
}
