import { ForcedAgentOptions, type AgentOptions } from '@fleet/api'
import type { Selectable } from 'kysely'
import type { Db } from '../../db/database.js'
import { insertReturningId, lowerContains, lowerEquals, withPage } from '../../platform/db/index.js'
import { defaultTeamSettings, mergeTeamSettings, type Team, type TeamSettings } from './team.js'
import type { TeamsTable } from './teams.table.js'

function parseAgentOptions(json: string | null): AgentOptions | null {
  if (json === null) {
    return null
  }
  // Forced options may not match the schema; they were accepted on purpose, so keep them as stored.
  const parsed = ForcedAgentOptions.safeParse(JSON.parse(json))
  return parsed.success ? parsed.data : null
}

function toTeam(row: Selectable<TeamsTable>): Team {
  const stored: unknown = JSON.parse(row.settings)
  const settings =
    typeof stored === 'object' && stored !== null
      ? mergeTeamSettings(defaultTeamSettings(), stored)
      : defaultTeamSettings()
  return {
    id: row.id,
    createdAt: row.created_at,
    name: row.name,
    description: row.description,
    agentOptions: parseAgentOptions(row.agent_options),
    settings,
  }
}

export async function insertTeam(
  db: Db,
  team: {
    name: string
    description: string
    settings: TeamSettings
    agentOptions: AgentOptions | null
    now: number
  },
): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('teams').values({
      created_at: team.now,
      name: team.name,
      description: team.description,
      agent_options: team.agentOptions === null ? null : JSON.stringify(team.agentOptions),
      settings: JSON.stringify(team.settings),
    }),
  )
}

export async function findTeam(db: Db, id: number): Promise<Team | undefined> {
  const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toTeam(row)
}

/** Team names are unique without regard to case, on every dialect. */
export async function findTeamByName(db: Db, name: string): Promise<Team | undefined> {
  const row = await db
    .selectFrom('teams')
    .selectAll()
    .where((eb) => lowerEquals(eb.ref('name'), name))
    .executeTakeFirst()
  return row && toTeam(row)
}

/** The teams among `ids` that exist. */
export async function findTeamsByIds(db: Db, ids: readonly number[]): Promise<Team[]> {
  if (ids.length === 0) {
    return []
  }
  const rows = await db
    .selectFrom('teams')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return rows.map(toTeam)
}

/** Team names by id, for the teams among `ids` that exist. */
export async function teamNamesByIds(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) {
    return new Map()
  }
  const rows = await db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

/** A team's id by name: regardless of case, or by the dialect's `=`. */
export async function teamIdByName(
  db: Db,
  name: string,
  ignoreCase: boolean,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where((eb) => (ignoreCase ? lowerEquals(eb.ref('name'), name) : eb('name', '=', name)))
    .executeTakeFirst()
  return row?.id
}

export interface TeamListFilter {
  query?: string
  /** Only these teams (a team user's view); undefined = all. */
  ids?: readonly number[]
  orderKey: 'id' | 'name' | 'created_at'
  direction: 'asc' | 'desc'
  offset: number
  limit?: number
}

export async function listTeams(db: Db, filter: TeamListFilter): Promise<Team[]> {
  let query = db.selectFrom('teams').selectAll()
  if (filter.query) {
    const text = filter.query
    query = query.where((eb) => lowerContains(eb.ref('name'), text))
  }
  if (filter.ids !== undefined) {
    query = query.where('id', 'in', filter.ids.length > 0 ? [...filter.ids] : [-1])
  }
  query = query.orderBy(filter.orderKey, filter.direction).orderBy('id', filter.direction)
  query = withPage(query, filter)
  return (await query.execute()).map(toTeam)
}

export async function updateTeam(
  db: Db,
  id: number,
  changes: {
    name?: string
    description?: string
    settings?: TeamSettings
    agentOptions?: AgentOptions | null
  },
): Promise<void> {
  await db
    .updateTable('teams')
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.description !== undefined && { description: changes.description }),
      ...(changes.settings !== undefined && { settings: JSON.stringify(changes.settings) }),
      ...(changes.agentOptions !== undefined && {
        agent_options: changes.agentOptions === null ? null : JSON.stringify(changes.agentOptions),
      }),
    })
    .where('id', '=', id)
    .execute()
}

export async function deleteTeam(db: Db, id: number): Promise<void> {
  await db.deleteFrom('teams').where('id', '=', id).execute()
}

/** Number of hosts per team (reads the hosts table). */
export async function countHostsByTeam(
  db: Db,
  teamIds: readonly number[],
): Promise<Map<number, number>> {
  if (teamIds.length === 0) {
    return new Map()
  }
  const rows = await db
    .selectFrom('hosts')
    .select(['team_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('team_id', 'in', [...teamIds])
    .groupBy('team_id')
    .execute()
  return new Map(
    rows.flatMap((r) => (r.team_id === null ? [] : [[r.team_id, Number(r.n)] as const])),
  )
}

/** Id, name and description of the teams among `ids` that exist (or of every team, by name). */
export async function teamInfos(
  db: Db,
  ids?: readonly number[],
): Promise<{ id: number; name: string; description: string }[]> {
  if (ids?.length === 0) {
    return []
  }
  let query = db.selectFrom('teams').select(['id', 'name', 'description'])
  if (ids) {
    query = query.where('id', 'in', [...new Set(ids)])
  }
  return query.orderBy('name').execute()
}
