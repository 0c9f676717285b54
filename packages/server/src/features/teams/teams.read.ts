import type { Db } from '../../db/database.js'
import { secretsByTeam, type EnrollSecret } from '../enroll-secrets/index.js'
import { countUsersByTeam } from '../users/index.js'
import type { Team } from './team.js'
import * as store from './teams.store.js'

// Reads of the teams table without authorization. Other features read teams only through these
// (exported by index.ts), never by querying `teams` themselves; their callers have authorized.

/** Whether a team with this id exists. */
export async function teamExists(db: Db, id: number): Promise<boolean> {
  return (await store.teamNamesByIds(db, [id])).has(id)
}

/** Team names by id; ids of teams that don't exist are absent from the map. */
export function teamNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  return store.teamNamesByIds(db, ids)
}

/**
 * The id of the team with this name, or undefined. `ignoreCase` matches as team names are unique
 * (without regard to case); without it the dialect's `=` decides (case-sensitive on SQLite and
 * PostgreSQL, not on MySQL).
 */
export function teamIdByName(
  db: Db,
  name: string,
  match: { ignoreCase: boolean },
): Promise<number | undefined> {
  return store.teamIdByName(db, name, match.ignoreCase)
}

/** The teams among `ids` that exist, in no particular order. */
export function findTeamsByIds(db: Db, ids: readonly number[]): Promise<Team[]> {
  return store.findTeamsByIds(db, ids)
}

/** What teams are presented with beyond their own row: user and host counts, and secrets. */
export interface TeamCounts {
  userCounts: Map<number, number>
  hostCounts: Map<number, number>
  secrets: Map<number, EnrollSecret[]>
}

/** Loads {@link TeamCounts} for a list of teams in three queries. */
export async function teamCounts(db: Db, ids: readonly number[]): Promise<TeamCounts> {
  const [userCounts, secrets, hostCounts] = await Promise.all([
    countUsersByTeam(db, ids),
    secretsByTeam(db, ids),
    store.countHostsByTeam(db, ids),
  ])
  return { userCounts, secrets, hostCounts }
}
