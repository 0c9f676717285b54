import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { TEAM_DIRECTORY } from '../users/index.js'
import { teamDirectory } from './team-directory.js'
import { createTeamAgentOptionsCache, type TeamAgentOptionsCache } from './team-agent-options.js'
import { registerTeamRoutes } from './teams.routes.js'

/** Each team's own agent options, cached for the agent path (see `createTeamAgentOptionsCache`). */
export const TEAM_AGENT_OPTIONS = defineService<TeamAgentOptionsCache>('team agent options')

/** Teams, their users and agent options. */
export const teamsModule: FeatureModule = {
  name: 'teams',
  build: ({ deps }) => {
    const agentOptions = createTeamAgentOptionsCache(deps.db)
    return {
      provides: [provide(TEAM_AGENT_OPTIONS, agentOptions), provide(TEAM_DIRECTORY, teamDirectory)],
      routes: (r) => registerTeamRoutes(r, { deps }),
      subscriptions: agentOptions.subscriptions,
    }
  },
}
