export { LOGIN_SERVICE, usersModule } from './users.module.js'
export type { LoginService } from './login.service.js'
export { hashPassword, passwordProblem } from './password.js'
export { presentUser } from './users.routes.js'
export { insertUserRecord } from './users.service.js'
export type { User } from './user.js'
export {
  countUsers,
  countUsersByTeam,
  listUsers as listUsersOfTeams,
  removeTeamRole,
  upsertTeamRole,
  findUser,
  findUserByEmail,
} from './users.store.js'
export { recordRoleChanges } from './role-activities.js'
export { userRules } from './users.rules.js'
export {
  TEAM_DIRECTORY,
  teamsOfUsers,
  type TeamDirectory,
  type TeamInfo,
  type TeamsById,
} from './team-directory.js'
export type { UserDeps } from './users.service.js'
