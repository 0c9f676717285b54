import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildHost, buildQuery, buildTeam } from '../../test-utils/factories.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

describe.each(DIALECTS)('target pickers [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamA: number
  let teamB: number
  let hostA: number
  let hostB: number

  const search = (token: string, body: unknown) =>
    t.request('POST', `${FLEET_API}/hosts/search`, { token, body })
  const count = (token: string, body: unknown) =>
    t.request('POST', `${FLEET_API}/targets/count`, { token, body })
  const ids = (res: { data(): Record<string, unknown> }) =>
    (res.data().hosts as { id: number }[]).map((h) => h.id).sort((a, b) => a - b)

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    teamA = (await buildTeam(t.database.db)).id
    teamB = (await buildTeam(t.database.db)).id
    hostA = (await buildHost(t.database.db, { teamId: teamA })).id
    hostB = (await buildHost(t.database.db, { teamId: teamB })).id
    await buildHost(t.database.db)
    for (let i = 0; i < 11; i++) {
      await buildHost(t.database.db, { vitals: { hostname: `bulk-${i}` } })
    }
  })
  afterAll(() => t.close())

  it('finds hosts by text, leaves out excluded ones, and answers at most 10', async () => {
    const all = await search(admin, { query: 'bulk-' })
    expect(all.statusCode).toBe(200)
    expect(ids(all)).toHaveLength(10)
    const one = await search(admin, { query: `uuid-host-`, excluded_host_ids: [hostA] })
    expect(ids(one)).not.toContain(hostA)
    const exact = await search(admin, { query: 'BULK-10', query_id: null })
    expect((exact.data().hosts as { hostname: string }[]).map((h) => h.hostname)).toEqual([
      'bulk-10',
    ])
    expect(exact.data().hosts).toEqual([expect.objectContaining({ status: expect.any(String) })])
  })

  it("shows a team user only their team's hosts; observers only for an observer_can_run query", async () => {
    const maintainer = await t.createUser(admin, {
      email: 'tpm@example.com',
      teams: [{ id: teamA, role: 'maintainer' }],
    })
    expect(ids(await search(maintainer.token, { query: '' }))).toEqual([hostA])
    const counted = await count(maintainer.token, { selected: { teams: [teamA, teamB] } })
    expect(counted.data().targets_count).toBe(1)

    const observer = await t.createUser(admin, { email: 'tpo@example.com', globalRole: 'observer' })
    expect(ids(await search(observer.token, { query: '' }))).toEqual([])
    const open = await buildQuery(t.database.db, { observerCanRun: true })
    const seen = await search(observer.token, { query: 'bulk-', query_id: open.id })
    expect(ids(seen)).toHaveLength(10)
    const observed = await count(observer.token, {
      query_id: open.id,
      selected: { hosts: [hostA, hostB] },
    })
    expect(observed.data().targets_count).toBe(2)
  })

  it('counts hosts, labels and teams as a live query resolves them', async () => {
    const res = await count(admin, { selected: { hosts: [hostA], teams: [0] } })
    expect(res.statusCode).toBe(200)
    expect(res.data().targets_count).toBe(13)
    const empty = await count(admin, {})
    expect(empty.json()).toEqual({ targets_count: 0, targets_online: 0, targets_offline: 0 })
  })

  it('refuses bad input, unknown queries and anonymous callers', async () => {
    expect((await search(admin, { excluded_host_ids: 'x' })).statusCode).toBe(400)
    expect((await count(admin, { selected: { hosts: ['a'] } })).statusCode).toBe(400)
    const unknown = await count(admin, { query_id: 999_999, selected: { hosts: [hostA] } })
    expect(unknown.statusCode).toBe(404)
    expect((await t.request('POST', `${FLEET_API}/hosts/search`, { body: {} })).statusCode).toBe(
      401,
    )
  })
})
