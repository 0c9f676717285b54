import type { AgentOptions } from '@fleet/api'
import type { Deps } from '../../deps.js'
import type { AppConfigService } from '../../features/app-config/index.js'
import { findSecretTeam } from '../../features/enroll-secrets/index.js'
import type { AgentSources } from '../../features/hosts/index.js'
import { TEAMS_CHANGED, teamAgentOptions } from '../../features/teams/index.js'

/**
 * What the agent path reads from other features, cached in memory: global settings (the
 * app-config cache) and team agent options (dropped when a team changes, on any instance).
 */
export async function createAgentSources(
  deps: Deps,
  appConfig: AppConfigService,
): Promise<AgentSources & { stop(): Promise<void> }> {
  const teamOptions = new Map<number, Promise<AgentOptions | null>>()
  const unsubscribe = await deps.pubsub.subscribe(TEAMS_CHANGED, (message) => {
    teamOptions.delete(Number(message))
  })
  return {
    settings: async () => {
      const config = await appConfig.current()
      return {
        agentOptions: config.agent_options,
        enableHostUsers: config.features.enable_host_users,
      }
    },
    teamAgentOptions: (teamId) => {
      let options = teamOptions.get(teamId)
      if (!options) {
        options = teamAgentOptions(deps.db, teamId).catch((err: unknown) => {
          teamOptions.delete(teamId)
          throw err
        })
        teamOptions.set(teamId, options)
      }
      return options
    },
    secretTeam: (secret) => findSecretTeam(deps.db, secret),
    stop: unsubscribe,
  }
}
