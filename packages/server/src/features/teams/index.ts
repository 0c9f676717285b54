export { registerTeamRoutes } from './teams.routes.js'
export { TEAMS_CHANGED, teamAgentOptions } from './teams.service.js'
export type { Team } from './team.js'
