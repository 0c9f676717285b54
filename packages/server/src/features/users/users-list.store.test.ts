import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/database.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { buildTeam, buildUser, FACTORY_NOW as NOW } from '../../test-utils/factories.js'
import { countUsersByTeam, listUsers, setUserTeams, type UserListFilter } from './users.store.js'

// A database of its own: every test lists exactly the five users made here.
describe.each(DIALECTS)('users store: listing [%s]', (dialect) => {
  let t: TestDatabase
  let db: Db
  const ids: Record<string, number> = {}
  let red: number
  let blue: number
  let empty: number
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    db = t.db
    red = (await buildTeam(db, { name: 'Red' })).id
    blue = (await buildTeam(db, { name: 'Blue' })).id
    empty = (await buildTeam(db, { name: 'Empty' })).id
    const people = [
      { key: 'alice', name: 'Alice Anders', email: 'alice@example.com', globalRole: null },
      { key: 'bob', name: 'Bob Brown', email: 'bob.Brown@Example.ORG', globalRole: null },
      { key: 'carol', name: 'Carol Chen', email: 'carol@example.net', globalRole: 'admin' },
      { key: 'dave', name: 'Dave 50% Off', email: 'dave@example.com', globalRole: 'observer' },
      { key: 'erin', name: 'Erin 500', email: 'erin_x@example.com', globalRole: 'maintainer' },
    ] as const
    for (const [index, p] of people.entries()) {
      const { key, ...fields } = p
      ids[key] = (await buildUser(db, { ...fields, now: NOW + index * 1000 })).id
    }
    await setUserTeams(db, ids.alice!, [{ id: red, role: 'observer' }])
    await setUserTeams(db, ids.bob!, [
      { id: red, role: 'maintainer' },
      { id: blue, role: 'admin' },
    ])
  })
  afterAll(() => t.drop())

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
    expect(bob?.teams.map((m) => [m.teamId, m.role])).toEqual(
      [
        [blue, 'admin'],
        [red, 'maintainer'],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    )
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
