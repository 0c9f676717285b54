/** Fleet's URL of a team's page (its users tab): `/settings/teams/users?team_id=N`. */
export function teamUsersPath(teamId: number): string {
  return `/settings/teams/users?team_id=${teamId}`
}
