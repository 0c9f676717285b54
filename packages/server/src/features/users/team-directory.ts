import type { Db } from '../../db/database.js'
import { defineService } from '../../modules/index.js'

/** A team as users show it: on a user's memberships and in `available_teams`. */
export interface TeamInfo {
  id: number
  name: string
  description: string
}

/** Team names by id, as {@link TeamDirectory.byIds} answers them. */
export type TeamsById = ReadonlyMap<number, TeamInfo>

/**
 * How users reads teams. Teams owns the table and depends on users (its members, their roles),
 * so users can't import it: the teams module provides this instead (`TEAM_DIRECTORY`).
 */
export interface TeamDirectory {
  /** The teams among `ids` that exist. */
  byIds(db: Db, ids: readonly number[]): Promise<Map<number, TeamInfo>>
  /** Every team, by name. */
  all(db: Db): Promise<TeamInfo[]>
}

export const TEAM_DIRECTORY = defineService<TeamDirectory>('team directory')

/** The teams the given users are members of, by id. */
export function teamsOfUsers(
  directory: TeamDirectory,
  db: Db,
  users: readonly { teams: readonly { teamId: number }[] }[],
): Promise<Map<number, TeamInfo>> {
  return directory.byIds(db, [...new Set(users.flatMap((u) => u.teams.map((t) => t.teamId)))])
}
