import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildHost, buildLabel, buildTeam } from '../../test-utils/factories.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

describe.each(DIALECTS)('POST /translate [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let globalObserver: string
  let teamAdmin: string
  let ids: { host: number; team: number; label: number; user: number }
  const names = { hostname: '', team: 'Translate team', label: 'Translate label' }
  const userEmail = 'translate-observer@example.com'

  const translate = (body: unknown, token: string | null = admin) =>
    t.request('POST', `${FLEET_API}/translate`, { token: token ?? undefined, body })
  const entry = (type: string, identifier: string) => ({ type, payload: { identifier } })

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    const team = await buildTeam(t.deps.db, { name: names.team })
    const host = await buildHost(t.deps.db, { teamId: team.id })
    const label = await buildLabel(t.deps.db, { name: names.label })
    names.hostname = host.hostname
    const observer = await t.createUser(admin, { email: userEmail, globalRole: 'observer' })
    globalObserver = observer.token
    teamAdmin = (
      await t.createUser(admin, {
        email: 'translate-team-admin@example.com',
        teams: [{ id: team.id, role: 'admin' }],
      })
    ).token
    ids = { host: host.id, team: team.id, label: label.id, user: observer.id }
  })
  afterAll(() => t.close())

  it("answers each identifier with its id, in order, in Fleet's shape", async () => {
    const res = await translate({
      list: [
        { type: 'host', payload: { identifier: names.hostname, id: 0 } },
        entry('team', names.team),
        entry('label', names.label),
        entry('user', userEmail),
      ],
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      list: [
        { type: 'host', payload: { identifier: names.hostname, id: ids.host } },
        { type: 'team', payload: { identifier: names.team, id: ids.team } },
        { type: 'label', payload: { identifier: names.label, id: ids.label } },
        { type: 'user', payload: { identifier: userEmail, id: ids.user } },
      ],
    })
  })

  it('refuses an empty list, an unknown type and an unknown identifier', async () => {
    for (const body of [{ list: [] }, { list: null }, {}]) {
      const res = await translate(body)
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({
        errors: [{ name: 'list', reason: 'payloads must not be empty' }],
      })
    }
    const unknownType = await translate({
      list: [entry('host', names.hostname), entry('pack', 'x')],
    })
    expect(unknownType.statusCode).toBe(400)
    expect(unknownType.json()).toMatchObject({
      errors: [{ name: 'list.1.type', reason: 'Type pack is unknown.' }],
    })
    const missing = await translate({ list: [entry('team', 'No such team')] })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toMatchObject({ code: 'TEAM_NOT_FOUND' })
    expect((await translate({ list: [entry('host', 'no-such-host')] })).statusCode).toBe(404)
    expect((await translate({ list: 'host' })).statusCode).toBe(400)
  })

  it('authorizes each type as Fleet does: hosts and teams for global readers only', async () => {
    expect((await translate({ list: [entry('host', names.hostname)] }, null)).statusCode).toBe(401)
    const observer = await translate(
      { list: [entry('host', names.hostname), entry('team', names.team)] },
      globalObserver,
    )
    expect(observer.statusCode).toBe(200)
    // A team admin may not translate even its own team's host: Fleet authorizes a host with no team.
    for (const type of ['host', 'team'] as const) {
      const identifier = type === 'host' ? names.hostname : names.team
      const res = await translate({ list: [entry(type, identifier)] }, teamAdmin)
      expect(res.statusCode, type).toBe(403)
    }
    // …and a forbidden type refuses the request before an unknown identifier is looked up.
    const probe = await translate({ list: [entry('host', 'no-such-host')] }, teamAdmin)
    expect(probe.statusCode).toBe(403)
    expect((await translate({ list: [entry('label', names.label)] }, teamAdmin)).statusCode).toBe(
      200,
    )
  })
})
