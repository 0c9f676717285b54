export { registerTeamRoutes } from './teams.routes.js'
export { TEAMS_CHANGED } from './teams.channels.js'
export { createTeamAgentOptionsCache, type TeamAgentOptionsCache } from './team-agent-options.js'
export type { Team } from './team.js'
