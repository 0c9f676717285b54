import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

/** Fleet's deprecated global and team schedule: saved queries with an interval. */
describe.each(DIALECTS)('global and team schedule [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamA: number
  let teamB: number
  let globalQuery: number
  let teamBQuery: number

  const api = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    token = admin,
  ) => t.request(method, `${FLEET_API}${path}`, { token, body })
  const id = (value: unknown) => Number(asRecord(value).id)

  beforeEach(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    teamA = id((await api('POST', '/teams', { name: 'A' })).data().team)
    teamB = id((await api('POST', '/teams', { name: 'B' })).data().team)
    globalQuery = id(
      (await api('POST', '/queries', { name: 'Uptime', query: 'SELECT * FROM uptime' })).data()
        .query,
    )
    teamBQuery = id(
      (await api('POST', '/queries', { name: 'B only', query: 'SELECT 1', team_id: teamB })).data()
        .query,
    )
  })
  afterEach(() => t.close())

  it('schedules a copy of a global query, edits and deletes it as Fleet does', async () => {
    const added = await api('POST', '/schedule', { query_id: globalQuery, interval: 60 })
    expect(added.statusCode).toBe(200)
    const scheduled = asRecord(added.data().scheduled)
    const seconds = Math.floor(t.clock.now().getTime() / 1000)
    expect(scheduled).toMatchObject({
      name: `Copy of Uptime (${seconds})`,
      query_name: `Copy of Uptime (${seconds})`,
      query: 'SELECT * FROM uptime',
      pack_id: 0,
      interval: 60,
      snapshot: true,
      removed: false,
    })
    expect(scheduled.query_id).toBe(scheduled.id)
    const list = await api('GET', '/schedule')
    expect((list.data().global_schedule as { id: number }[]).map((s) => s.id)).toEqual([
      scheduled.id,
    ])
    const patched = await api('PATCH', `/schedule/${scheduled.id}`, {
      interval: 120,
      snapshot: false,
      removed: true,
    })
    expect(asRecord(patched.data().scheduled)).toMatchObject({
      interval: 120,
      snapshot: false,
      removed: true,
    })
    const query = asRecord((await api('GET', `/queries/${scheduled.id}`)).data().query)
    expect(query).toMatchObject({ logging: 'differential', automations_enabled: true })
    expect((await api('DELETE', `/schedule/${scheduled.id}`)).statusCode).toBe(200)
    expect((await api('GET', '/schedule')).data().global_schedule).toEqual([])
  })

  it('serves /global/schedule on v1 only, and /schedule as the global schedule from 2022-04', async () => {
    await api('POST', '/schedule', { query_id: globalQuery, interval: 60 })
    const v1 = await t.request('GET', '/api/v1/fleet/global/schedule', { token: admin })
    expect((v1.data().global_schedule as unknown[]).length).toBe(1)
    const latest = await t.request('GET', '/api/latest/fleet/global/schedule', { token: admin })
    expect(latest.statusCode).toBe(404)
    const dated = await t.request('GET', '/api/2022-04/fleet/schedule', { token: admin })
    expect((dated.data().global_schedule as unknown[]).length).toBe(1)
  })

  it("keeps each team's schedule to its own path", async () => {
    const added = await api('POST', `/teams/${teamA}/schedule`, {
      query_id: globalQuery,
      interval: 30,
    })
    expect(added.statusCode).toBe(200)
    const scheduledId = id(added.data().scheduled)
    const teamList = await api('GET', `/team/${teamA}/schedule`)
    expect((teamList.data().scheduled as { id: number }[]).map((s) => s.id)).toEqual([scheduledId])
    expect((await api('GET', '/schedule')).data().global_schedule).toEqual([])
    // Another team's path, or the global one, doesn't reach it.
    expect(
      (await api('PATCH', `/teams/${teamB}/schedule/${scheduledId}`, { interval: 5 })).statusCode,
    ).toBe(404)
    expect((await api('PATCH', `/schedule/${scheduledId}`, { interval: 5 })).statusCode).toBe(404)
    expect((await api('DELETE', `/schedule/${scheduledId}`)).statusCode).toBe(404)
    expect(
      (await api('PATCH', `/teams/${teamA}/schedule/${scheduledId}`, { interval: 5 })).statusCode,
    ).toBe(200)
    expect((await api('DELETE', `/teams/${teamA}/schedule/${scheduledId}`)).statusCode).toBe(200)
  })

  it('rejects bad input and queries of another owner', async () => {
    for (const body of [
      { query_id: globalQuery, interval: 0 },
      { query_id: globalQuery, interval: 604_801 },
      { query_id: globalQuery, interval: 60, platform: 'beos' },
      { interval: 60 },
    ]) {
      const res = await api('POST', '/schedule', body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.data().errors).toBeDefined()
    }
    const fromTeam = await api('POST', '/schedule', { query_id: teamBQuery, interval: 60 })
    expect(fromTeam.statusCode).toBe(400)
    const otherTeam = await api('POST', `/teams/${teamA}/schedule`, {
      query_id: teamBQuery,
      interval: 60,
    })
    expect(otherTeam.statusCode).toBe(400)
    expect((await api('POST', '/schedule', { query_id: 999, interval: 60 })).statusCode).toBe(404)
  })

  it("authorizes as the queries they are: team maintainers write their team's only", async () => {
    const maintainerA = (
      await t.createUser(admin, {
        email: 'ma@example.com',
        teams: [{ id: teamA, role: 'maintainer' }],
      })
    ).token
    const observer = (await t.createUser(admin, { email: 'o@example.com', globalRole: 'observer' }))
      .token
    const body = { query_id: globalQuery, interval: 60 }
    expect((await api('POST', `/teams/${teamA}/schedule`, body, maintainerA)).statusCode).toBe(200)
    expect((await api('POST', `/teams/${teamB}/schedule`, body, maintainerA)).statusCode).toBe(403)
    expect((await api('GET', `/teams/${teamB}/schedule`, undefined, maintainerA)).statusCode).toBe(
      403,
    )
    expect((await api('POST', '/schedule', body, maintainerA)).statusCode).toBe(403)
    expect((await api('POST', '/schedule', body, observer)).statusCode).toBe(403)
    expect((await api('GET', '/schedule', undefined, observer)).statusCode).toBe(200)
    expect((await t.request('GET', `${FLEET_API}/schedule`)).statusCode).toBe(401)
  })
})
