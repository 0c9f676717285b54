import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/database.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { buildTeam, buildUser, uniqueName } from '../../test-utils/factories.js'
import {
  countUsersByTeam,
  deleteUser,
  findUser,
  findUserWithHashByEmail,
  removeTeamRole,
  setUserTeams,
  upsertTeamRole,
} from './users.store.js'

describe.each(DIALECTS)('users store: team memberships [%s]', (dialect) => {
  let t: TestDatabase
  let db: Db
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    db = t.db
  })
  afterAll(() => t.drop())

  /** A user and three teams of its own, whose names sort Alpha < Mike < Zulu. */
  async function userAndTeams() {
    const set = uniqueName('set')
    const team = (name: string, description: string) =>
      buildTeam(db, { name: `${name} ${set}`, description })
    const alpha = await team('Alpha', 'first team')
    const mike = await team('Mike', 'middle team')
    const zulu = await team('Zulu', 'last team')
    return { user: (await buildUser(db)).id, alpha, mike, zulu }
  }

  const teamsOf = async (user: number) => (await findUser(db, user))?.teams ?? []
  const rolesOf = async (user: number) => (await teamsOf(user)).map((m) => [m.teamId, m.role])

  it('sets a user’s teams, loaded in team order', async () => {
    const { user, alpha, zulu } = await userAndTeams()
    await setUserTeams(db, user, [
      { id: zulu.id, role: 'observer' },
      { id: alpha.id, role: 'maintainer' },
    ])
    expect(await teamsOf(user)).toEqual([
      { teamId: alpha.id, role: 'maintainer' },
      { teamId: zulu.id, role: 'observer' },
    ])
  })

  it('replaces all teams on the next set, and clears them with an empty list', async () => {
    const { user, alpha, mike } = await userAndTeams()
    await setUserTeams(db, user, [{ id: alpha.id, role: 'observer' }])
    await setUserTeams(db, user, [{ id: mike.id, role: 'admin' }])
    expect(await teamsOf(user)).toEqual([{ teamId: mike.id, role: 'admin' }])
    await setUserTeams(db, user, [])
    expect(await teamsOf(user)).toEqual([])
  })

  it('adds and changes one team role, and removes it', async () => {
    const { user, alpha, zulu } = await userAndTeams()
    await upsertTeamRole(db, user, zulu.id, 'observer')
    await upsertTeamRole(db, user, alpha.id, 'observer_plus')
    await upsertTeamRole(db, user, zulu.id, 'gitops')
    expect(await rolesOf(user)).toEqual([
      [alpha.id, 'observer_plus'],
      [zulu.id, 'gitops'],
    ])
    await removeTeamRole(db, user, alpha.id)
    expect(await rolesOf(user)).toEqual([[zulu.id, 'gitops']])
    await removeTeamRole(db, user, alpha.id)
    expect(await teamsOf(user)).toHaveLength(1)
  })

  it('leaves out memberships whose stored role is unknown', async () => {
    const { user, mike, zulu } = await userAndTeams()
    await upsertTeamRole(db, user, zulu.id, 'gitops')
    await db
      .insertInto('user_teams')
      .values({ user_id: user, team_id: mike.id, role: 'owner' })
      .execute()
    expect((await teamsOf(user)).map((m) => m.teamId)).toEqual([zulu.id])
  })

  it('loads teams for the login lookup too', async () => {
    const { zulu } = await userAndTeams()
    const member = await buildUser(db, { teams: [{ id: zulu.id, role: 'observer' }] })
    const found = await findUserWithHashByEmail(db, member.email)
    expect(found?.user.teams.map((m) => m.teamId)).toEqual([zulu.id])
  })

  it('drops a team’s memberships when the team is deleted', async () => {
    const { user, alpha, zulu } = await userAndTeams()
    const temp = await buildTeam(db)
    const other = (await buildUser(db)).id
    await upsertTeamRole(db, user, zulu.id, 'gitops')
    await upsertTeamRole(db, user, temp.id, 'maintainer')
    await upsertTeamRole(db, other, temp.id, 'observer')
    await upsertTeamRole(db, other, alpha.id, 'admin')
    expect((await countUsersByTeam(db, [temp.id])).get(temp.id)).toBe(2)

    await db.deleteFrom('teams').where('id', '=', temp.id).execute()

    const rows = await db
      .selectFrom('user_teams')
      .select('user_id')
      .where('team_id', '=', temp.id)
      .execute()
    expect(rows).toEqual([])
    expect((await teamsOf(user)).map((m) => m.teamId)).toEqual([zulu.id])
    expect((await teamsOf(other)).map((m) => m.teamId)).toEqual([alpha.id])
  })

  it('drops a user’s memberships when the user is deleted', async () => {
    const { mike } = await userAndTeams()
    const gone = await buildUser(db, { teams: [{ id: mike.id, role: 'observer' }] })
    await deleteUser(db, gone.id)
    const rows = await db
      .selectFrom('user_teams')
      .select('team_id')
      .where('user_id', '=', gone.id)
      .execute()
    expect(rows).toEqual([])
  })
})
