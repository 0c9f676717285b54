import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { TEAM_DIRECTORY } from '../users/index.js'
import { teamDirectory } from './team-directory.js'
import { createTeamAgentOptionsCache, type TeamAgentOptionsCache } from './team-agent-options.js'
import { createDeletionHooks, type DeletionHooks } from '../../platform/deletion-hooks.js'
import { registerTeamRoutes } from './teams.routes.js'

/** Each team's own agent options, cached for the agent path (see `createTeamAgentOptionsCache`). */
export const TEAM_AGENT_OPTIONS = defineService<TeamAgentOptionsCache>('team agent options')

/**
 * Where features whose rows reference a team without a foreign key delete them with the team
 * (in its deletion transaction): `use(TEAM_DELETION).register(async (trx, teamId) => …)`.
 */
export const TEAM_DELETION = defineService<DeletionHooks<number>>('team deletion hooks')

/** Teams, their users and agent options. */
export const teamsModule: FeatureModule = {
  name: 'teams',
  build: ({ deps }) => {
    const agentOptions = createTeamAgentOptionsCache(deps.db)
    const deletion = createDeletionHooks<number>()
    return {
      provides: [
        provide(TEAM_AGENT_OPTIONS, agentOptions),
        provide(TEAM_DIRECTORY, teamDirectory),
        provide(TEAM_DELETION, deletion),
      ],
      routes: (r) => registerTeamRoutes(r, { deps, deletion }),
      subscriptions: agentOptions.subscriptions,
    }
  },
}
