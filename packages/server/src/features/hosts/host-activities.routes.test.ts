import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildHost, buildTeam } from '../../test-utils/factories.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

describe.each(DIALECTS)('GET /hosts/:id/activities [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamA: number
  let hostA: number
  let hostB: number

  const activities = (token: string, id: number, query = '') =>
    t.request('GET', `${FLEET_API}/hosts/${id}/activities${query}`, { token })
  const types = (res: { data(): Record<string, unknown> }) =>
    (res.data().activities as { type: string; details: Record<string, unknown> }[]).map(
      (a) => a.type,
    )

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    teamA = (await buildTeam(t.database.db)).id
    hostA = (await buildHost(t.database.db)).id
    hostB = (await buildHost(t.database.db)).id
    // Two activities about host A (a transfer to team A and one back, with host B), one about a
    // team only.
    const moved = await t.request('POST', `${FLEET_API}/hosts/transfer`, {
      token: admin,
      body: { team_id: teamA, hosts: [hostA] },
    })
    expect(moved.statusCode).toBe(200)
    await t.request('POST', `${FLEET_API}/teams`, { token: admin, body: { name: 'Unrelated' } })
    const back = await t.request('POST', `${FLEET_API}/hosts/transfer`, {
      token: admin,
      body: { team_id: null, hosts: [hostA, hostB] },
    })
    expect(back.statusCode).toBe(200)
  })
  afterAll(() => t.close())

  it("lists the host's past activities, newest first, and only those", async () => {
    const res = await activities(admin, hostA)
    expect(res.statusCode).toBe(200)
    const body = res.data() as {
      activities: { type: string; details: { team_id: number | null } }[]
      meta: unknown
    }
    expect(body.activities.map((a) => [a.type, a.details.team_id])).toEqual([
      ['transferred_hosts', null],
      ['transferred_hosts', teamA],
    ])
    expect(body.meta).toEqual({ has_next_results: false, has_previous_results: false })
    expect(types(await activities(admin, hostB))).toEqual(['transferred_hosts'])
  })

  it('pages as Fleet does', async () => {
    const first = await activities(admin, hostA, '?page=0&per_page=1')
    expect(first.data().meta).toEqual({ has_next_results: true, has_previous_results: false })
    expect(first.data().activities).toHaveLength(1)
    const second = await activities(admin, hostA, '?page=1&per_page=1')
    expect(second.data().meta).toEqual({ has_next_results: false, has_previous_results: true })
    expect(
      (second.data().activities as { details: { team_id: number } }[])[0]?.details.team_id,
    ).toBe(teamA)
  })

  it("refuses another team's host, unknown hosts, bad input and anonymous callers", async () => {
    const teamB = (await buildTeam(t.database.db)).id
    const outsider = await t.createUser(admin, {
      email: 'host-activities-outsider@example.com',
      teams: [{ id: teamB, role: 'observer' }],
    })
    // Host A has no team now: a team user may not read it.
    expect((await activities(outsider.token, hostA)).statusCode).toBe(403)
    const observer = await t.createUser(admin, {
      email: 'host-activities-observer@example.com',
      globalRole: 'observer',
    })
    expect((await activities(observer.token, hostA)).statusCode).toBe(200)
    expect((await activities(admin, 999_999)).statusCode).toBe(404)
    expect((await activities(admin, hostA, '?per_page=0')).statusCode).toBe(400)
    expect(
      (await t.request('GET', `${FLEET_API}/hosts/abc/activities`, { token: admin })).statusCode,
    ).toBe(400)
    expect((await t.request('GET', `${FLEET_API}/hosts/${hostA}/activities`)).statusCode).toBe(401)
  })
})
