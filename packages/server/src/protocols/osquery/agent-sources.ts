import type { AppConfigService } from '../../features/app-config/index.js'
import { findSecretTeam } from '../../features/enroll-secrets/index.js'
import type { AgentSources } from '../../features/hosts/index.js'
import type { TeamAgentOptionsCache } from '../../features/teams/index.js'
import type { Deps } from '../../deps.js'

/**
 * What the agent path reads from other features, each cached by its own feature: global settings
 * (the app-config cache) and team agent options (the teams feature's cache).
 */
export function createAgentSources(
  deps: Pick<Deps, 'db'>,
  appConfig: Pick<AppConfigService, 'current'>,
  teamAgentOptions: Pick<TeamAgentOptionsCache, 'get'>,
): AgentSources {
  return {
    settings: async () => {
      const config = await appConfig.current()
      return {
        agentOptions: config.agent_options,
        enableHostUsers: config.features.enable_host_users,
      }
    },
    teamAgentOptions: (teamId) => teamAgentOptions.get(teamId),
    secretTeam: (secret) => findSecretTeam(deps.db, secret),
  }
}
