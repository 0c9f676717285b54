import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { SocketClient } from '../../test-utils/live-query-socket.js'
import { policyKit } from '../../test-utils/policy-kit.js'

/**
 * Fleet's router serves every user endpoint under `/api/v1/fleet`, `/api/2022-04/fleet` and
 * `/api/latest/fleet`, plus alternative paths some clients still call (`/team/{id}/policies`).
 */
describe.each(DIALECTS)("Fleet's API versions and path aliases [%s]", (dialect) => {
  let t: TestServer
  let admin: string
  let team: number

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    team = await policyKit(t).createTeam(admin, 'Aliases', 'aliases-secret')
  })
  const sockets: SocketClient[] = []
  afterAll(async () => {
    for (const socket of sockets) {
      socket.close()
    }
    await t.close()
  })

  it('answers under the dated 2022-04 version as under latest', async () => {
    const me = await t.request('GET', '/api/2022-04/fleet/me', { token: admin })
    expect(me.statusCode, me.body).toBe(200)
    const latest = await t.request('GET', '/api/latest/fleet/me', { token: admin })
    expect(me.json()).toEqual(latest.json())
    const teams = await t.request('GET', '/api/2022-04/fleet/teams', { token: admin })
    expect(teams.statusCode, teams.body).toBe(200)
    const unauthenticated = await t.request('GET', '/api/2022-04/fleet/me')
    expect(unauthenticated.statusCode).toBe(401)
    expect((await t.request('GET', '/api/2021-01/fleet/me', { token: admin })).statusCode).toBe(404)
  })

  it("serves a team's policies under the singular /team/{id} path as Fleet does", async () => {
    for (const version of ['v1', '2022-04', 'latest']) {
      const base = `/api/${version}/fleet/team/${team}/policies`
      const created = await t.request('POST', base, {
        token: admin,
        body: { name: `Alias ${version}`, query: 'SELECT 1;' },
      })
      expect(created.statusCode, created.body).toBe(200)
      const id = Number(asRecord(created.data().policy).id)
      const listed = await t.request('GET', base, { token: admin })
      expect(listed.statusCode, listed.body).toBe(200)
      expect((listed.data().policies as { id: number }[]).map((p) => p.id)).toContain(id)
      const one = await t.request('GET', `${base}/${id}`, { token: admin })
      expect(asRecord(one.data().policy)).toMatchObject({ id, team_id: team })
      const deleted = await t.request('POST', `${base}/delete`, {
        token: admin,
        body: { ids: [id] },
      })
      expect(deleted.json()).toEqual({ deleted: 1 })
    }
    // Fleet aliases neither PATCH nor count under /team/.
    const patch = await t.request('PATCH', `/api/latest/fleet/team/${team}/policies/1`, {
      token: admin,
      body: { name: 'x' },
    })
    expect(patch.statusCode).toBe(404)
  })

  it('opens the live query results websocket under 2022-04 too', async () => {
    const address = await t.server.app.listen({ host: '127.0.0.1', port: 0 })
    const socket = new SocketClient(
      `${address.replace('http', 'ws')}/api/2022-04/fleet/results/websocket`,
    )
    sockets.push(socket)
    await socket.select('not-a-token', 1)
    expect((await socket.waitFor('error')).data).toBe('unauthorized')
  })
})
