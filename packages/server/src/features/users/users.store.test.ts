import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/database.js'
import { insertReturningId, isUniqueViolation } from '../../platform/db/index.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import {
  allTeams,
  countUsers,
  countUsersByTeam,
  deleteUser,
  emailTaken,
  existingTeamIds,
  findUser,
  findUserWithHashByEmail,
  insertUser,
  listUsers,
  passwordHashOf,
  removeTeamRole,
  setUserTeams,
  updateUser,
  upsertTeamRole,
  type NewUser,
  type UserListFilter,
} from './users.store.js'

const NOW = Date.parse('2030-01-01T00:00:00Z')

function newUser(overrides: Partial<NewUser> & Pick<NewUser, 'email'>): NewUser {
  return {
    name: 'Someone',
    passwordHash: 'scrypt$hash',
    globalRole: null,
    apiOnly: false,
    forcePasswordReset: false,
    ssoEnabled: false,
    now: NOW,
    ...overrides,
  }
}

async function insertTeam(db: Db, name: string, description = ''): Promise<number> {
  return insertReturningId(
    db,
    db
      .insertInto('teams')
      .values({ name, description, created_at: NOW, agent_options: null, settings: '{}' }),
  )
}

async function clear(db: Db): Promise<void> {
  await db.deleteFrom('user_teams').execute()
  await db.deleteFrom('sessions').execute()
  await db.deleteFrom('users').execute()
  await db.deleteFrom('teams').execute()
}

describe.each(DIALECTS)('users store [%s]', (dialect) => {
  let t: TestDatabase
  let db: Db
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    db = t.db
  })
  afterAll(() => t.drop())

  describe('users', () => {
    beforeAll(() => clear(db))

    it('inserts a user and finds it by id and by email, with its hash', async () => {
      const id = await insertUser(
        db,
        newUser({
          name: 'Ada Admin',
          email: 'ada@example.com',
          globalRole: 'admin',
          apiOnly: true,
          ssoEnabled: true,
        }),
      )
      expect(await findUser(db, id)).toEqual({
        id,
        createdAt: NOW,
        updatedAt: NOW,
        name: 'Ada Admin',
        email: 'ada@example.com',
        globalRole: 'admin',
        apiOnly: true,
        forcePasswordReset: false,
        ssoEnabled: true,
        position: '',
        teams: [],
      })
      const withHash = await findUserWithHashByEmail(db, 'ada@example.com')
      expect(withHash?.user.id).toBe(id)
      expect(withHash?.passwordHash).toBe('scrypt$hash')
      expect(await passwordHashOf(db, id)).toBe('scrypt$hash')
    })

    it('returns undefined for unknown users', async () => {
      expect(await findUser(db, 987_654)).toBeUndefined()
      expect(await findUserWithHashByEmail(db, 'nobody@example.com')).toBeUndefined()
      expect(await passwordHashOf(db, 987_654)).toBeUndefined()
    })

    it('refuses a duplicate email with a unique violation', async () => {
      await insertUser(db, newUser({ email: 'twice@example.com', globalRole: 'observer' }))
      const err: unknown = await insertUser(
        db,
        newUser({ email: 'twice@example.com', globalRole: 'observer' }),
      ).catch((e: unknown) => e)
      expect(isUniqueViolation(err)).toBe(true)
    })

    it('updates only the given fields and the update time', async () => {
      const id = await insertUser(
        db,
        newUser({ name: 'Before', email: 'update@example.com', globalRole: 'admin' }),
      )
      const later = NOW + 90_000
      await updateUser(
        db,
        id,
        {
          name: 'After',
          globalRole: null,
          forcePasswordReset: true,
          position: 'CISO',
          passwordHash: 'scrypt$new',
        },
        later,
      )
      expect(await findUser(db, id)).toMatchObject({
        id,
        createdAt: NOW,
        updatedAt: later,
        name: 'After',
        email: 'update@example.com',
        globalRole: null,
        apiOnly: false,
        forcePasswordReset: true,
        ssoEnabled: false,
        position: 'CISO',
      })
      expect(await passwordHashOf(db, id)).toBe('scrypt$new')

      await updateUser(
        db,
        id,
        { email: 'moved@example.com', apiOnly: true, ssoEnabled: true },
        later + 1,
      )
      expect(await findUser(db, id)).toMatchObject({
        name: 'After',
        email: 'moved@example.com',
        apiOnly: true,
        ssoEnabled: true,
        updatedAt: later + 1,
      })
    })

    it('deletes a user', async () => {
      const id = await insertUser(
        db,
        newUser({ email: 'gone@example.com', globalRole: 'observer' }),
      )
      const before = await countUsers(db)
      await deleteUser(db, id)
      expect(await findUser(db, id)).toBeUndefined()
      expect(await countUsers(db)).toBe(before - 1)
    })

    it('counts users as a number', async () => {
      await clear(db)
      expect(await countUsers(db)).toBe(0)
      await insertUser(db, newUser({ email: 'one@example.com', globalRole: 'admin' }))
      await insertUser(db, newUser({ email: 'two@example.com', globalRole: 'admin' }))
      expect(await countUsers(db)).toBe(2)
    })

    it('tells whether an email is taken, except by a given user', async () => {
      await clear(db)
      const alice = await insertUser(
        db,
        newUser({ email: 'alice@example.com', globalRole: 'admin' }),
      )
      const bob = await insertUser(db, newUser({ email: 'bob@example.com', globalRole: 'admin' }))
      expect(await emailTaken(db, 'alice@example.com')).toBe(true)
      expect(await emailTaken(db, 'alice@example.com', alice)).toBe(false)
      expect(await emailTaken(db, 'alice@example.com', bob)).toBe(true)
      expect(await emailTaken(db, 'carol@example.com')).toBe(false)
    })
  })

  describe('team memberships', () => {
    let user: number
    let zulu: number
    let alpha: number
    let mike: number
    beforeAll(async () => {
      await clear(db)
      zulu = await insertTeam(db, 'Zulu', 'last team')
      alpha = await insertTeam(db, 'Alpha', 'first team')
      mike = await insertTeam(db, 'Mike', 'middle team')
      user = await insertUser(db, newUser({ email: 'member@example.com' }))
    })

    it('sets a user’s teams, loaded with names and descriptions in name order', async () => {
      await setUserTeams(db, user, [
        { id: zulu, role: 'observer' },
        { id: alpha, role: 'maintainer' },
      ])
      expect((await findUser(db, user))?.teams).toEqual([
        { teamId: alpha, teamName: 'Alpha', teamDescription: 'first team', role: 'maintainer' },
        { teamId: zulu, teamName: 'Zulu', teamDescription: 'last team', role: 'observer' },
      ])
    })

    it('replaces all teams on the next set, and clears them with an empty list', async () => {
      await setUserTeams(db, user, [{ id: mike, role: 'admin' }])
      expect((await findUser(db, user))?.teams).toEqual([
        { teamId: mike, teamName: 'Mike', teamDescription: 'middle team', role: 'admin' },
      ])
      await setUserTeams(db, user, [])
      expect((await findUser(db, user))?.teams).toEqual([])
    })

    it('adds and changes one team role, and removes it', async () => {
      await upsertTeamRole(db, user, zulu, 'observer')
      await upsertTeamRole(db, user, alpha, 'observer_plus')
      await upsertTeamRole(db, user, zulu, 'gitops')
      expect((await findUser(db, user))?.teams.map((m) => [m.teamName, m.role])).toEqual([
        ['Alpha', 'observer_plus'],
        ['Zulu', 'gitops'],
      ])
      await removeTeamRole(db, user, alpha)
      expect((await findUser(db, user))?.teams.map((m) => [m.teamName, m.role])).toEqual([
        ['Zulu', 'gitops'],
      ])
      await removeTeamRole(db, user, alpha)
      expect((await findUser(db, user))?.teams).toHaveLength(1)
    })

    it('leaves out memberships whose stored role is unknown', async () => {
      await db
        .insertInto('user_teams')
        .values({ user_id: user, team_id: mike, role: 'owner' })
        .execute()
      expect((await findUser(db, user))?.teams.map((m) => m.teamName)).toEqual(['Zulu'])
      await removeTeamRole(db, user, mike)
    })

    it('loads teams for the login lookup too', async () => {
      const found = await findUserWithHashByEmail(db, 'member@example.com')
      expect(found?.user.teams.map((m) => m.teamId)).toEqual([zulu])
    })

    it('finds which team ids exist and lists all teams by name', async () => {
      expect([...(await existingTeamIds(db, [alpha, 424_242, mike]))].sort()).toEqual(
        [alpha, mike].sort(),
      )
      expect(await existingTeamIds(db, [])).toEqual(new Set())
      expect(await allTeams(db)).toEqual([
        { id: alpha, name: 'Alpha', description: 'first team' },
        { id: mike, name: 'Mike', description: 'middle team' },
        { id: zulu, name: 'Zulu', description: 'last team' },
      ])
    })

    it('drops a team’s memberships when the team is deleted', async () => {
      const temp = await insertTeam(db, 'Temporary')
      const other = await insertUser(db, newUser({ email: 'other@example.com' }))
      await upsertTeamRole(db, user, temp, 'maintainer')
      await upsertTeamRole(db, other, temp, 'observer')
      await upsertTeamRole(db, other, alpha, 'admin')
      expect((await countUsersByTeam(db, [temp])).get(temp)).toBe(2)

      await db.deleteFrom('teams').where('id', '=', temp).execute()

      const rows = await db
        .selectFrom('user_teams')
        .select('user_id')
        .where('team_id', '=', temp)
        .execute()
      expect(rows).toEqual([])
      expect((await findUser(db, user))?.teams.map((m) => m.teamName)).toEqual(['Zulu'])
      expect((await findUser(db, other))?.teams.map((m) => m.teamName)).toEqual(['Alpha'])
    })

    it('drops a user’s memberships when the user is deleted', async () => {
      const gone = await insertUser(db, newUser({ email: 'leaving@example.com' }))
      await upsertTeamRole(db, gone, mike, 'observer')
      await deleteUser(db, gone)
      const rows = await db
        .selectFrom('user_teams')
        .select('team_id')
        .where('user_id', '=', gone)
        .execute()
      expect(rows).toEqual([])
    })
  })

  describe('listing', () => {
    const ids: Record<string, number> = {}
    let red: number
    let blue: number
    let empty: number
    beforeAll(async () => {
      await clear(db)
      red = await insertTeam(db, 'Red')
      blue = await insertTeam(db, 'Blue')
      empty = await insertTeam(db, 'Empty')
      const people = [
        { key: 'alice', name: 'Alice Anders', email: 'alice@example.com', globalRole: null },
        { key: 'bob', name: 'Bob Brown', email: 'bob.Brown@Example.ORG', globalRole: null },
        { key: 'carol', name: 'Carol Chen', email: 'carol@example.net', globalRole: 'admin' },
        { key: 'dave', name: 'Dave 50% Off', email: 'dave@example.com', globalRole: 'observer' },
        { key: 'erin', name: 'Erin 500', email: 'erin_x@example.com', globalRole: 'maintainer' },
      ] as const
      for (const [index, p] of people.entries()) {
        ids[p.key] = await insertUser(
          db,
          newUser({
            name: p.name,
            email: p.email,
            globalRole: p.globalRole,
            now: NOW + index * 1000,
          }),
        )
      }
      await setUserTeams(db, ids.alice!, [{ id: red, role: 'observer' }])
      await setUserTeams(db, ids.bob!, [
        { id: red, role: 'maintainer' },
        { id: blue, role: 'admin' },
      ])
    })

    const base: UserListFilter = { orderKey: 'id', direction: 'asc', offset: 0 }
    async function names(filter: Partial<UserListFilter>): Promise<string[]> {
      return (await listUsers(db, { ...base, ...filter })).map((u) => u.name)
    }

    it('lists everyone in id order by default filter', async () => {
      expect(await names({})).toEqual([
        'Alice Anders',
        'Bob Brown',
        'Carol Chen',
        'Dave 50% Off',
        'Erin 500',
      ])
    })

    it('searches name and email without regard to case', async () => {
      expect(await names({ query: 'ALICE' })).toEqual(['Alice Anders'])
      expect(await names({ query: 'brown' })).toEqual(['Bob Brown'])
      expect(await names({ query: 'bob.brown@example.org' })).toEqual(['Bob Brown'])
      expect(await names({ query: 'EXAMPLE.NET' })).toEqual(['Carol Chen'])
      expect(await names({ query: 'example.com' })).toEqual([
        'Alice Anders',
        'Dave 50% Off',
        'Erin 500',
      ])
      expect(await names({ query: 'nobody' })).toEqual([])
    })

    it('treats % and _ in the query literally', async () => {
      expect(await names({ query: '50%' })).toEqual(['Dave 50% Off'])
      expect(await names({ query: '50' })).toEqual(['Dave 50% Off', 'Erin 500'])
      expect(await names({ query: 'n_x' })).toEqual(['Erin 500'])
      expect(await names({ query: 'e_a' })).toEqual([])
    })

    it('filters by team and by a set of teams', async () => {
      expect(await names({ teamId: red })).toEqual(['Alice Anders', 'Bob Brown'])
      expect(await names({ teamId: blue })).toEqual(['Bob Brown'])
      expect(await names({ teamId: empty })).toEqual([])
      expect(await names({ withinTeamIds: [blue, empty] })).toEqual(['Bob Brown'])
      expect(await names({ withinTeamIds: [red, blue] })).toEqual(['Alice Anders', 'Bob Brown'])
      expect(await names({ withinTeamIds: [] })).toEqual([])
      expect(await names({ teamId: red, query: 'bob' })).toEqual(['Bob Brown'])
    })

    it('loads each listed user’s teams', async () => {
      const [bob] = await listUsers(db, { ...base, teamId: blue })
      expect(bob?.teams.map((m) => [m.teamName, m.role])).toEqual([
        ['Blue', 'admin'],
        ['Red', 'maintainer'],
      ])
    })

    it('orders by the given key and direction', async () => {
      expect(await names({ orderKey: 'name', direction: 'desc' })).toEqual([
        'Erin 500',
        'Dave 50% Off',
        'Carol Chen',
        'Bob Brown',
        'Alice Anders',
      ])
      expect(await names({ orderKey: 'created_at', direction: 'desc' })).toEqual([
        'Erin 500',
        'Dave 50% Off',
        'Carol Chen',
        'Bob Brown',
        'Alice Anders',
      ])
      expect(
        (await listUsers(db, { ...base, orderKey: 'email', direction: 'asc' })).map((u) => u.email),
      ).toEqual([
        'alice@example.com',
        'bob.Brown@Example.ORG',
        'carol@example.net',
        'dave@example.com',
        'erin_x@example.com',
      ])
    })

    it('pages with limit and offset', async () => {
      expect(await names({ limit: 2, offset: 0 })).toEqual(['Alice Anders', 'Bob Brown'])
      expect(await names({ limit: 2, offset: 2 })).toEqual(['Carol Chen', 'Dave 50% Off'])
      expect(await names({ limit: 2, offset: 4 })).toEqual(['Erin 500'])
      expect(await names({ limit: 2, offset: 6 })).toEqual([])
      expect(await names({ orderKey: 'name', direction: 'desc', limit: 1, offset: 1 })).toEqual([
        'Dave 50% Off',
      ])
    })

    it('counts users per team, as numbers, leaving out empty teams', async () => {
      const counts = await countUsersByTeam(db, [red, blue, empty])
      expect([...counts.entries()].sort((a, b) => a[0] - b[0])).toEqual(
        [
          [red, 2],
          [blue, 1],
        ].sort((a, b) => a[0]! - b[0]!),
      )
      expect(await countUsersByTeam(db, [])).toEqual(new Map())
    })
  })
})
