import { Role } from '@fleet/api'
import type { Selectable } from 'kysely'
import type { Db } from '../../db/database.js'
import { insertReturningId, lowerContains, withPage } from '../../platform/db/index.js'
import type { TeamMembership, User } from './user.js'
import type { UsersTable } from './users.table.js'

function toRole(value: string | null): Role | null {
  const parsed = Role.safeParse(value)
  return parsed.success ? parsed.data : null
}

function toUser(row: Selectable<UsersTable>, teams: TeamMembership[]): User {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    name: row.name,
    email: row.email,
    globalRole: toRole(row.global_role),
    apiOnly: row.api_only === 1,
    forcePasswordReset: row.force_password_reset === 1,
    ssoEnabled: row.sso_enabled === 1,
    position: row.position,
    teams,
  }
}

/** Team memberships of the given users, by team id. */
async function membershipsOf(db: Db, userIds: number[]): Promise<Map<number, TeamMembership[]>> {
  const byUser = new Map<number, TeamMembership[]>()
  if (userIds.length === 0) {
    return byUser
  }
  const rows = await db
    .selectFrom('user_teams')
    .select(['user_id', 'team_id', 'role'])
    .where('user_id', 'in', userIds)
    .orderBy('team_id')
    .execute()
  for (const row of rows) {
    const role = toRole(row.role)
    if (!role) {
      continue
    }
    const list = byUser.get(row.user_id) ?? []
    list.push({ teamId: row.team_id, role })
    byUser.set(row.user_id, list)
  }
  return byUser
}

async function withTeams(db: Db, rows: Selectable<UsersTable>[]): Promise<User[]> {
  const teams = await membershipsOf(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((row) => toUser(row, teams.get(row.id) ?? []))
}

export async function findUser(db: Db, id: number): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  return row && (await withTeams(db, [row]))[0]
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
  return row && (await withTeams(db, [row]))[0]
}

/** A user and their password hash, for login. */
export async function findUserWithHashByEmail(
  db: Db,
  email: string,
): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
  const user = row && (await withTeams(db, [row]))[0]
  return row && user && { user, passwordHash: row.password_hash }
}

export async function passwordHashOf(db: Db, id: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', id)
    .executeTakeFirst()
  return row?.password_hash
}

export async function emailTaken(db: Db, email: string, exceptId?: number): Promise<boolean> {
  let query = db.selectFrom('users').select('id').where('email', '=', email)
  if (exceptId !== undefined) {
    query = query.where('id', '!=', exceptId)
  }
  return (await query.executeTakeFirst()) !== undefined
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface UserListFilter {
  query?: string
  teamId?: number
  /** Only users on one of these teams (a team admin's view); undefined = all. */
  withinTeamIds?: readonly number[]
  orderKey: 'id' | 'name' | 'email' | 'created_at' | 'global_role'
  direction: 'asc' | 'desc'
  offset: number
  limit?: number
}

export async function listUsers(db: Db, filter: UserListFilter): Promise<User[]> {
  let query = db.selectFrom('users').selectAll('users')
  if (filter.query) {
    const text = filter.query
    query = query.where((eb) =>
      eb.or([
        lowerContains(eb.ref('users.name'), text),
        lowerContains(eb.ref('users.email'), text),
      ]),
    )
  }
  const teamIds = filter.teamId !== undefined ? [filter.teamId] : filter.withinTeamIds
  if (teamIds !== undefined) {
    const ids = teamIds.length > 0 ? [...teamIds] : [-1]
    query = query.where('users.id', 'in', (eb) =>
      eb.selectFrom('user_teams').select('user_id').where('team_id', 'in', ids),
    )
  }
  query = query
    .orderBy(`users.${filter.orderKey}`, filter.direction)
    .orderBy('users.id', filter.direction)
  query = withPage(query, filter)
  return withTeams(db, await query.execute())
}

export interface NewUser {
  name: string
  email: string
  passwordHash: string
  globalRole: Role | null
  apiOnly: boolean
  forcePasswordReset: boolean
  ssoEnabled: boolean
  now: number
}

export async function insertUser(db: Db, user: NewUser): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('users').values({
      created_at: user.now,
      updated_at: user.now,
      name: user.name,
      email: user.email,
      password_hash: user.passwordHash,
      global_role: user.globalRole,
      api_only: user.apiOnly ? 1 : 0,
      force_password_reset: user.forcePasswordReset ? 1 : 0,
      sso_enabled: user.ssoEnabled ? 1 : 0,
      position: '',
    }),
  )
}

export interface UserChanges {
  name?: string
  email?: string
  passwordHash?: string
  globalRole?: Role | null
  forcePasswordReset?: boolean
  ssoEnabled?: boolean
  apiOnly?: boolean
  position?: string
}

export async function updateUser(
  db: Db,
  id: number,
  changes: UserChanges,
  now: number,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      updated_at: now,
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.email !== undefined && { email: changes.email }),
      ...(changes.passwordHash !== undefined && { password_hash: changes.passwordHash }),
      ...(changes.globalRole !== undefined && { global_role: changes.globalRole }),
      ...(changes.forcePasswordReset !== undefined && {
        force_password_reset: changes.forcePasswordReset ? 1 : 0,
      }),
      ...(changes.ssoEnabled !== undefined && { sso_enabled: changes.ssoEnabled ? 1 : 0 }),
      ...(changes.apiOnly !== undefined && { api_only: changes.apiOnly ? 1 : 0 }),
      ...(changes.position !== undefined && { position: changes.position }),
    })
    .where('id', '=', id)
    .execute()
}

export async function deleteUser(db: Db, id: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute()
}

/** Replaces all of a user's team roles. */
export async function setUserTeams(
  db: Db,
  userId: number,
  teams: readonly { id: number; role: Role }[],
): Promise<void> {
  await db.deleteFrom('user_teams').where('user_id', '=', userId).execute()
  if (teams.length > 0) {
    await db
      .insertInto('user_teams')
      .values(teams.map((t) => ({ user_id: userId, team_id: t.id, role: t.role })))
      .execute()
  }
}

/** Adds or changes one team role. */
export async function upsertTeamRole(
  db: Db,
  userId: number,
  teamId: number,
  role: Role,
): Promise<void> {
  await db
    .deleteFrom('user_teams')
    .where('user_id', '=', userId)
    .where('team_id', '=', teamId)
    .execute()
  await db.insertInto('user_teams').values({ user_id: userId, team_id: teamId, role }).execute()
}

export async function removeTeamRole(db: Db, userId: number, teamId: number): Promise<void> {
  await db
    .deleteFrom('user_teams')
    .where('user_id', '=', userId)
    .where('team_id', '=', teamId)
    .execute()
}

/** Number of users per team id, for the given teams. */
export async function countUsersByTeam(
  db: Db,
  teamIds: readonly number[],
): Promise<Map<number, number>> {
  if (teamIds.length === 0) {
    return new Map()
  }
  const rows = await db
    .selectFrom('user_teams')
    .select(['team_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('team_id', 'in', [...teamIds])
    .groupBy('team_id')
    .execute()
  return new Map(rows.map((r) => [r.team_id, Number(r.n)]))
}
