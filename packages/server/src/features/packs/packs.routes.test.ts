import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

describe.each(DIALECTS)('packs [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let queryId: number
  let teamQueryId: number
  let teamId: number

  const api = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    token = admin,
  ) => t.request(method, `${FLEET_API}${path}`, { token, body })
  const createPack = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/packs', body)
    expect(res.statusCode).toBe(200)
    return asRecord(res.data().pack)
  }

  beforeEach(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    teamId = Number(asRecord((await api('POST', '/teams', { name: 'Team A' })).data().team).id)
    queryId = Number(
      asRecord(
        (await api('POST', '/queries', { name: 'Uptime', query: 'SELECT * FROM uptime' })).data()
          .query,
      ).id,
    )
    teamQueryId = Number(
      asRecord(
        (await api('POST', '/queries', { name: 'Mine', query: 'SELECT 1', team_id: teamId })).data()
          .query,
      ).id,
    )
  })
  afterEach(() => t.close())

  it("creates, reads, lists, edits and deletes packs in Fleet's shape", async () => {
    const pack = await createPack({ name: 'Baseline', description: 'basics', team_ids: [teamId] })
    expect(pack).toMatchObject({
      name: 'Baseline',
      description: 'basics',
      platform: '',
      disabled: false,
      type: null,
      team_ids: [teamId],
      label_ids: [],
      host_ids: [],
      query_count: 0,
      total_hosts_count: 0,
    })
    const got = await api('GET', `/packs/${pack.id}`)
    expect(asRecord(got.data().pack).name).toBe('Baseline')
    const patched = await api('PATCH', `/packs/${pack.id}`, { disabled: true, team_ids: null })
    expect(asRecord(patched.data().pack)).toMatchObject({ disabled: true, team_ids: [] })
    const list = await api('GET', '/packs')
    expect((list.data().packs as { name: string }[]).map((p) => p.name)).toEqual(['Baseline'])
    expect((await api('DELETE', '/packs/Baseline')).statusCode).toBe(200)
    expect((await api('GET', `/packs/${pack.id}`)).data().code).toBe('PACK_NOT_FOUND')
    const second = await createPack({ name: 'Second' })
    expect((await api('DELETE', `/packs/id/${second.id}`)).statusCode).toBe(200)
    expect((await api('DELETE', `/packs/id/${second.id}`)).statusCode).toBe(404)
    expect((await api('DELETE', '/packs/Nope')).statusCode).toBe(404)
    const types = (
      asRecord((await api('GET', '/activities')).data()).activities as { type: string }[]
    ).map((a) => a.type)
    expect(types).toEqual(expect.arrayContaining(['created_pack', 'edited_pack', 'deleted_pack']))
  })

  it('schedules global queries in a pack, naming duplicates as Fleet does', async () => {
    const pack = await createPack({ name: 'P' })
    const add = () =>
      api('POST', '/packs/schedule', { pack_id: pack.id, query_id: queryId, interval: 60 })
    const first = asRecord((await add()).data().scheduled)
    const second = asRecord((await add()).data().scheduled)
    expect(first).toMatchObject({
      pack_id: pack.id,
      name: 'Uptime',
      query_id: queryId,
      query_name: 'Uptime',
      query: 'SELECT * FROM uptime',
      interval: 60,
      snapshot: null,
      removed: null,
    })
    expect(second.name).toBe('Uptime-1')
    const listed = await api('GET', `/packs/${pack.id}/scheduled`)
    expect((listed.data().scheduled as unknown[]).length).toBe(2)
    const patched = await api('PATCH', `/packs/schedule/${first.id}`, {
      interval: 120,
      snapshot: true,
      shard: 50,
    })
    expect(asRecord(patched.data().scheduled)).toMatchObject({
      interval: 120,
      snapshot: true,
      shard: 50,
    })
    expect(asRecord((await api('GET', `/schedule/${first.id}`)).data().scheduled).interval).toBe(
      120,
    )
    expect(asRecord((await api('GET', `/packs/${pack.id}`)).data().pack).query_count).toBe(2)
    expect((await api('DELETE', `/packs/schedule/${first.id}`)).statusCode).toBe(200)
    expect((await api('GET', `/schedule/${first.id}`)).data().code).toBe(
      'SCHEDULED_QUERY_NOT_FOUND',
    )
  })

  it("removes a query's pack entries with the query, as Fleet's foreign key does", async () => {
    const pack = await createPack({ name: 'P' })
    const other = Number(
      asRecord((await api('POST', '/queries', { name: 'Other', query: 'SELECT 2' })).data().query)
        .id,
    )
    for (const id of [queryId, other]) {
      const res = await api('POST', '/packs/schedule', {
        pack_id: pack.id,
        query_id: id,
        interval: 60,
      })
      expect(res.statusCode).toBe(200)
    }
    expect((await api('DELETE', `/queries/id/${queryId}`)).statusCode).toBe(200)
    const rows = await t.deps.db
      .selectFrom('pack_scheduled_queries')
      .select('query_id')
      .where('pack_id', '=', Number(pack.id))
      .execute()
    expect(rows.map((row) => row.query_id)).toEqual([other])
    expect(asRecord((await api('GET', `/packs/${pack.id}`)).data().pack).query_count).toBe(1)
  })

  it("serves the pack schedule's v1 paths only on v1", async () => {
    const pack = await createPack({ name: 'P' })
    const v1 = await t.request('POST', '/api/v1/fleet/schedule', {
      token: admin,
      body: { pack_id: pack.id, query_id: queryId, interval: 60 },
    })
    expect(v1.statusCode).toBe(200)
    const id = asRecord(v1.data().scheduled).id
    const patched = await t.request('PATCH', `/api/v1/fleet/schedule/${id}`, {
      token: admin,
      body: { interval: 30 },
    })
    expect(asRecord(patched.data().scheduled).interval).toBe(30)
    // From 2022-04 on, /schedule/{id} is the global schedule: the id names a saved query there.
    const latest = await t.request('PATCH', `/api/latest/fleet/schedule/${queryId}`, {
      token: admin,
      body: { interval: 45 },
    })
    expect(asRecord(latest.data().scheduled)).toMatchObject({ query_id: queryId, pack_id: 0 })
    const entry = await t.request('GET', `/api/latest/fleet/schedule/${id}`, { token: admin })
    expect(asRecord(entry.data().scheduled)).toMatchObject({ pack_id: pack.id, interval: 30 })
  })

  it("rejects bad input with a 4xx in Fleet's error shape", async () => {
    const pack = await createPack({ name: 'P' })
    const cases: [string, string, unknown, string][] = [
      ['POST', '/packs', { name: '' }, 'name'],
      ['POST', '/packs', { name: 'X', platform: 'beos' }, 'platform'],
      ['POST', '/packs', { name: 'Global' }, 'name'],
      ['POST', '/packs', { name: 'team-3' }, 'name'],
      ['POST', '/packs/schedule', { pack_id: pack.id, query_id: queryId, interval: 0 }, 'interval'],
      [
        'POST',
        '/packs/schedule',
        { pack_id: pack.id, query_id: queryId, interval: 604_801 },
        'interval',
      ],
      [
        'POST',
        '/packs/schedule',
        { pack_id: pack.id, query_id: queryId, interval: 5, shard: 101 },
        'shard',
      ],
      [
        'POST',
        '/packs/schedule',
        { pack_id: pack.id, query_id: teamQueryId, interval: 5 },
        'query_id',
      ],
      [
        'POST',
        '/spec/packs',
        { specs: [{ name: 'S', queries: [{ query: 'Nope', interval: 5 }] }] },
        'specs[0].queries',
      ],
      [
        'POST',
        '/spec/packs',
        { specs: [{ name: 'S', targets: { labels: ['Nope'] } }] },
        'specs[0].targets.labels',
      ],
    ]
    for (const [method, path, body, field] of cases) {
      const res = await api(method as 'POST', path, body)
      expect(res.statusCode, `${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400)
      expect(res.statusCode).toBeLessThan(500)
      const errors = res.data().errors as { name: string }[]
      expect(errors.map((e) => e.name).join(' '), JSON.stringify(body)).toContain(
        field.split('.')[0],
      )
    }
    const dup = await api('POST', '/packs', { name: 'P' })
    expect(dup.statusCode).toBe(409)
    expect(dup.data().code).toBe('PACK_NAME_EXISTS')
    expect(
      (await api('POST', '/packs/schedule', { pack_id: 999, query_id: queryId, interval: 5 }))
        .statusCode,
    ).toBe(404)
    expect(
      (await api('POST', '/packs/schedule', { pack_id: pack.id, query_id: 999, interval: 5 }))
        .statusCode,
    ).toBe(404)
  })

  it('lets only global admins, maintainers and gitops near packs', async () => {
    const pack = await createPack({ name: 'P' })
    const maintainer = (
      await t.createUser(admin, { email: 'm@example.com', globalRole: 'maintainer' })
    ).token
    const gitops = (
      await t.createUser(admin, { email: 'g@example.com', globalRole: 'gitops', apiOnly: true })
    ).token
    const observer = (await t.createUser(admin, { email: 'o@example.com', globalRole: 'observer' }))
      .token
    const teamAdmin = (
      await t.createUser(admin, { email: 't@example.com', teams: [{ id: teamId, role: 'admin' }] })
    ).token
    expect((await api('GET', '/packs', undefined, maintainer)).statusCode).toBe(200)
    expect((await api('POST', '/packs', { name: 'G' }, gitops)).statusCode).toBe(200)
    for (const token of [observer, teamAdmin]) {
      expect((await api('GET', '/packs', undefined, token)).statusCode).toBe(403)
      expect((await api('GET', `/packs/${pack.id}`, undefined, token)).statusCode).toBe(403)
      expect((await api('POST', '/packs', { name: 'No' }, token)).statusCode).toBe(403)
      expect((await api('DELETE', '/packs/P', undefined, token)).statusCode).toBe(403)
      expect((await api('GET', '/spec/packs', undefined, token)).statusCode).toBe(403)
      expect(
        (
          await api(
            'POST',
            '/packs/schedule',
            { pack_id: pack.id, query_id: queryId, interval: 5 },
            token,
          )
        ).statusCode,
      ).toBe(403)
    }
    expect((await t.request('GET', `${FLEET_API}/packs`)).statusCode).toBe(401)
  })

  it('applies pack specs and returns them as fleetctl reads them', async () => {
    const spec = {
      name: 'Spec pack',
      description: 'from yaml',
      platform: 'linux',
      targets: { labels: ['All Hosts'], teams: ['Team A'] },
      queries: [
        { query: 'Uptime', name: 'uptime-often', description: 'd', interval: 30, snapshot: true },
        { query: 'Uptime', interval: 60, removed: false, shard: 10 },
      ],
    }
    expect((await api('POST', '/spec/packs', { specs: [spec] })).statusCode).toBe(200)
    const one = asRecord((await api('GET', '/spec/packs/Spec%20pack')).data().specs)
    expect(one).toMatchObject({
      name: 'Spec pack',
      description: 'from yaml',
      platform: 'linux',
      disabled: false,
      targets: { labels: ['All Hosts'], teams: ['Team A'] },
      queries: [
        { query: 'Uptime', name: 'uptime-often', description: 'd', interval: 30, snapshot: true },
        {
          query: 'Uptime',
          name: 'Uptime',
          description: '',
          interval: 60,
          removed: false,
          shard: 10,
        },
      ],
    })
    // Applying again replaces the pack's queries and targets.
    const again = {
      ...spec,
      targets: { labels: null, teams: null },
      queries: [{ query: 'Uptime', interval: 5 }],
    }
    expect((await api('POST', '/spec/packs', { specs: [again] })).statusCode).toBe(200)
    const all = (await api('GET', '/spec/packs')).data().specs as Record<string, unknown>[]
    expect(all).toHaveLength(1)
    expect(all[0]).toMatchObject({
      targets: { labels: [], teams: [] },
      queries: [{ name: 'Uptime', interval: 5 }],
    })
    expect((await api('GET', '/spec/packs/Nope')).statusCode).toBe(404)
  })
})
