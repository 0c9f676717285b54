import type { Role } from '@fleet/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

describe.each(DIALECTS)('saved queries: who may do what [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamA: number
  let teamB: number
  let globalQuery: number
  let queryA: number
  let queryB: number
  const tokens = new Map<string, string>()

  const as = (who: string) => {
    const token = tokens.get(who)
    if (!token) {
      throw new Error(`no user ${who}`)
    }
    return token
  }
  const status = async (
    who: string,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ) => (await t.request(method, `${FLEET_API}${url}`, { token: as(who), body })).statusCode
  const createQuery = async (body: Record<string, unknown>) => {
    const res = await t.request('POST', `${FLEET_API}/queries`, { token: admin, body })
    return Number(asRecord(res.data().query).id)
  }

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    const team = async (name: string) =>
      Number(
        asRecord(
          (await t.request('POST', `${FLEET_API}/teams`, { token: admin, body: { name } })).data()
            .team,
        ).id,
      )
    teamA = await team('A')
    teamB = await team('B')
    const users: [string, Role | null, { id: number; role: Role }[]][] = [
      ['observer', 'observer', []],
      ['maintainer', 'maintainer', []],
      ['gitops', 'gitops', []],
      ['a-maintainer', null, [{ id: teamA, role: 'maintainer' }]],
      ['a-observer', null, [{ id: teamA, role: 'observer' }]],
      ['a-gitops', null, [{ id: teamA, role: 'gitops' }]],
    ]
    for (const [name, globalRole, teams] of users) {
      const user = await t.createUser(admin, {
        email: `${name}@example.com`,
        globalRole,
        teams,
        apiOnly: globalRole === 'gitops' || teams.some((x) => x.role === 'gitops'),
      })
      tokens.set(name, user.token)
    }
    globalQuery = await createQuery({ name: 'global', query: 'SELECT 1' })
    queryA = await createQuery({ name: 'a', query: 'SELECT 1', team_id: teamA })
    queryB = await createQuery({ name: 'b', query: 'SELECT 1', team_id: teamB })
  })
  afterAll(() => t.close())

  it('global observers read queries and reports but change nothing', async () => {
    expect(await status('observer', 'GET', '/queries')).toBe(200)
    expect(await status('observer', 'GET', `/queries?team_id=${teamB}`)).toBe(200)
    expect(await status('observer', 'GET', `/queries/${queryB}`)).toBe(200)
    expect(await status('observer', 'GET', `/queries/${globalQuery}/report`)).toBe(200)
    expect(await status('observer', 'GET', '/spec/queries')).toBe(200)
    expect(await status('observer', 'POST', '/queries', { name: 'x', query: 'SELECT 1' })).toBe(403)
    expect(await status('observer', 'PATCH', `/queries/${globalQuery}`, { description: 'x' })).toBe(
      403,
    )
    expect(await status('observer', 'DELETE', '/queries/global')).toBe(403)
    expect(await status('observer', 'DELETE', `/queries/id/${globalQuery}`)).toBe(403)
    expect(await status('observer', 'POST', '/queries/delete', { ids: [globalQuery] })).toBe(403)
    expect(
      await status('observer', 'POST', '/spec/queries', {
        specs: [{ name: 'x', query: 'SELECT 1' }],
      }),
    ).toBe(403)
  })

  it('lists observers only the queries observers may run, as Fleet does', async () => {
    await t.request('POST', `${FLEET_API}/queries`, {
      token: admin,
      body: { name: 'observable', query: 'SELECT 1', observer_can_run: true },
    })
    await t.request('POST', `${FLEET_API}/queries`, {
      token: admin,
      body: { name: 'observable a', query: 'SELECT 1', observer_can_run: true, team_id: teamA },
    })
    // The queries made here and in beforeAll; other tests (e.g. the write tests) add their own.
    const ours = new Set(['global', 'a', 'observable', 'observable a'])
    const names = async (who: string, params = '') =>
      (
        (await t.request('GET', `${FLEET_API}/queries${params}`, { token: as(who) })).data()
          .queries as { name: string }[]
      )
        .map((q) => q.name)
        .filter((name) => ours.has(name))
    expect(await names('observer')).toEqual(['observable'])
    expect(await names('maintainer')).toEqual(['global', 'observable'])
    expect(await names('a-observer', `?team_id=${teamA}`)).toEqual(['observable a'])
    expect(await names('a-maintainer', `?team_id=${teamA}`)).toEqual(['a', 'observable a'])
    expect(await names('a-observer')).toEqual(['global', 'observable'])
  })

  it('global maintainers and gitops write any query', async () => {
    expect(
      await status('maintainer', 'POST', '/queries', {
        name: 'm',
        query: 'SELECT 1',
        team_id: teamB,
      }),
    ).toBe(200)
    expect(await status('gitops', 'POST', '/queries', { name: 'g', query: 'SELECT 1' })).toBe(200)
    expect(
      await status('gitops', 'POST', '/spec/queries', {
        specs: [{ name: 'g2', query: 'SELECT 1', team: 'B' }],
      }),
    ).toBe(200)
    expect(await status('gitops', 'GET', `/queries/${queryB}`)).toBe(200)
  })

  it('team maintainers write only their team’s queries and read the global ones', async () => {
    expect(await status('a-maintainer', 'GET', '/queries')).toBe(200)
    expect(
      await status('a-maintainer', 'GET', `/queries?team_id=${teamA}&merge_inherited=true`),
    ).toBe(200)
    expect(await status('a-maintainer', 'GET', `/queries/${globalQuery}`)).toBe(200)
    expect(await status('a-maintainer', 'GET', `/queries/${queryB}`)).toBe(403)
    expect(await status('a-maintainer', 'GET', `/queries?team_id=${teamB}`)).toBe(403)
    expect(await status('a-maintainer', 'GET', `/queries/${queryB}/report`)).toBe(403)
    expect(
      await status('a-maintainer', 'POST', '/queries', {
        name: 'am',
        query: 'SELECT 1',
        team_id: teamA,
      }),
    ).toBe(200)
    expect(
      await status('a-maintainer', 'POST', '/queries', { name: 'am', query: 'SELECT 1' }),
    ).toBe(403)
    expect(
      await status('a-maintainer', 'POST', '/queries', {
        name: 'am',
        query: 'SELECT 1',
        team_id: teamB,
      }),
    ).toBe(403)
    expect(await status('a-maintainer', 'PATCH', `/queries/${queryA}`, { interval: 60 })).toBe(200)
    expect(await status('a-maintainer', 'PATCH', `/queries/${globalQuery}`, { interval: 60 })).toBe(
      403,
    )
    expect(await status('a-maintainer', 'DELETE', `/queries/b?team_id=${teamB}`)).toBe(403)
    expect(await status('a-maintainer', 'POST', '/queries/delete', { ids: [queryA, queryB] })).toBe(
      403,
    )
    expect(
      await status('a-maintainer', 'POST', '/spec/queries', {
        specs: [{ name: 's', query: 'SELECT 1' }],
      }),
    ).toBe(403)
    expect(
      await status('a-maintainer', 'POST', '/spec/queries', {
        specs: [{ name: 's', query: 'SELECT 1', team: 'A' }],
      }),
    ).toBe(200)
    expect(await status('a-maintainer', 'DELETE', `/queries/s?team_id=${teamA}`)).toBe(200)
  })

  it('team observers read their team’s and the global queries only', async () => {
    expect(await status('a-observer', 'GET', `/queries/${queryA}`)).toBe(200)
    expect(await status('a-observer', 'GET', `/queries/${globalQuery}`)).toBe(200)
    expect(await status('a-observer', 'GET', `/spec/queries?team_id=${teamA}`)).toBe(200)
    expect(await status('a-observer', 'GET', `/spec/queries?team_id=${teamB}`)).toBe(403)
    expect(await status('a-observer', 'PATCH', `/queries/${queryA}`, { interval: 60 })).toBe(403)
    expect(await status('a-observer', 'DELETE', `/queries/id/${queryA}`)).toBe(403)
  })

  it('team gitops write their team’s queries but don’t read the global ones', async () => {
    expect(
      await status('a-gitops', 'POST', '/queries', {
        name: 'ag',
        query: 'SELECT 1',
        team_id: teamA,
      }),
    ).toBe(200)
    expect(await status('a-gitops', 'GET', `/queries/${globalQuery}`)).toBe(403)
  })

  it('asks for a session', async () => {
    expect((await t.request('GET', `${FLEET_API}/queries`)).statusCode).toBe(401)
  })
})
