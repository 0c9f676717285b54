import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildHost, buildTeam } from '../../test-utils/factories.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

/**
 * Fleet's label kinds from `POST /labels` (no query: manual) and one label as a spec
 * (`GET /spec/labels/{name}`, real `fleetctl get label NAME`) (issue 9 #17).
 */
describe.each(DIALECTS)('manual labels and label specs by name [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let observer: string
  let teamObserver: string
  const hosts: { id: number; hostname: string }[] = []

  const create = (body: Record<string, unknown>, token = admin) =>
    t.request('POST', `${FLEET_API}/labels`, { token, body })
  const spec = (name: string, token = admin) =>
    t.request('GET', `${FLEET_API}/spec/labels/${encodeURIComponent(name)}`, { token })

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    observer = (await t.createUser(admin, { email: 'mobs@example.com', globalRole: 'observer' }))
      .token
    const team = await buildTeam(t.deps.db, { name: 'Manual labels team' })
    teamObserver = (
      await t.createUser(admin, {
        email: 'mteam@example.com',
        teams: [{ id: team.id, role: 'observer' }],
      })
    ).token
    for (const teamId of [null, team.id]) {
      const host = await buildHost(t.deps.db, { teamId })
      hosts.push({ id: host.id, hostname: host.hostname })
    }
  })
  afterAll(() => t.close())

  it('creates a manual label from a name alone, or from hosts, as Fleet does', async () => {
    const bare = await create({ name: 'Just a name' })
    expect(bare.statusCode, bare.body).toBe(200)
    expect(bare.data().label).toMatchObject({
      label_membership_type: 'manual',
      query: '',
      host_ids: [],
      count: 0,
    })
    const byName = await create({ name: 'By hostname', hosts: hosts.map((h) => h.hostname) })
    expect(byName.statusCode, byName.body).toBe(200)
    expect(byName.data().label).toMatchObject({
      label_membership_type: 'manual',
      host_ids: hosts.map((h) => h.id),
      count: 2,
    })
    const byId = await create({ name: 'By id', host_ids: [hosts[0]?.id] })
    expect(byId.data().label).toMatchObject({ label_membership_type: 'manual', count: 1 })
    const dynamic = await create({ name: 'With a query', query: 'SELECT 1' })
    expect(dynamic.data().label).toMatchObject({ label_membership_type: 'dynamic', host_ids: null })
  })

  it('refuses contradictory or unknown input with 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'Q and hosts', query: 'SELECT 1', hosts: [hosts[0]?.hostname] }, 'query'],
      [{ name: 'Q and ids', query: 'SELECT 1', host_ids: [hosts[0]?.id] }, 'query'],
      [{ name: 'Both', hosts: [hosts[0]?.hostname], host_ids: [hosts[1]?.id] }, 'hosts'],
      [{ name: 'Unknown', hosts: ['no-such-host'] }, 'hosts'],
      [{ name: 'Dynamic no query', label_membership_type: 'dynamic' }, 'query'],
      [{ name: 'Manual with query', label_membership_type: 'manual', query: 'SELECT 1' }, 'query'],
      [{ name: '' }, 'name'],
    ]
    for (const [body, field] of cases) {
      const res = await create(body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect((res.data().errors as { name: string }[])[0]?.name).toBe(field)
    }
    expect((await create({ name: 'Observer label' }, observer)).statusCode).toBe(403)
  })

  it('serves one label as a spec by name; 404 when there is none', async () => {
    const manual = await spec('By hostname')
    expect(manual.statusCode, manual.body).toBe(200)
    expect(manual.data().specs).toEqual({
      id: expect.any(Number),
      name: 'By hostname',
      description: '',
      query: '',
      platform: '',
      label_type: 'regular',
      label_membership_type: 'manual',
      hosts: hosts.map((h) => h.hostname).sort(),
    })
    const dynamic = asRecord((await spec('With a query', observer)).data().specs)
    expect(dynamic).toMatchObject({ query: 'SELECT 1', label_membership_type: 'dynamic' })
    expect(dynamic.hosts).toBeUndefined()
    expect(asRecord((await spec('All Hosts')).data().specs).label_type).toBe('builtin')
    // A team user sees only their team's members.
    expect(asRecord((await spec('By hostname', teamObserver)).data().specs).hosts).toEqual([
      hosts[1]?.hostname,
    ])
    const missing = await spec('No such label')
    expect(missing.statusCode).toBe(404)
    const anonymous = await t.request('GET', `${FLEET_API}/spec/labels/By%20hostname`)
    expect(anonymous.statusCode).toBe(401)
  })
})
