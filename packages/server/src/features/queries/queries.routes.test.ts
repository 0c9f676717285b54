import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

describe.each(DIALECTS)('saved queries [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamId: number

  const create = (body: Record<string, unknown>, token = admin) =>
    t.request('POST', `${FLEET_API}/queries`, { token, body })
  const queryOf = (res: { data(): Record<string, unknown> }) => asRecord(res.data().query)
  const list = async (params = '') => {
    const res = await t.request('GET', `${FLEET_API}/queries${params}`, { token: admin })
    expect(res.statusCode).toBe(200)
    return res.data()
  }
  const names = (body: Record<string, unknown>) =>
    (body.queries as { name: string }[]).map((q) => q.name)
  const activities = async (type: string) =>
    (
      await t.request('GET', `${FLEET_API}/activities?activity_type=${type}`, { token: admin })
    ).data().activities as { details: Record<string, unknown> }[]

  /** In id order: Uptime (global), Uptime (team Ops), Other and Procs (global). */
  const createQueries = async () => {
    for (const body of [
      { name: 'Uptime', query: 'SELECT * FROM uptime;' },
      { name: 'Uptime', query: 'SELECT 2', team_id: teamId },
      { name: 'Other', query: 'SELECT 4' },
      { name: 'Procs', query: 'SELECT * FROM processes' },
    ]) {
      expect((await create(body)).statusCode).toBe(200)
    }
  }

  // Each test starts from its own server with one team and no query.
  beforeEach(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    const team = await t.request('POST', `${FLEET_API}/teams`, {
      token: admin,
      body: { name: 'Ops' },
    })
    teamId = Number(asRecord(team.data().team).id)
  })
  afterEach(() => t.close())

  it('creates a global query with Fleet defaults and the author, and records it', async () => {
    const res = await create({ name: 'Uptime', query: 'SELECT * FROM uptime;' })
    expect(res.statusCode).toBe(200)
    const query = queryOf(res)
    expect(query).toMatchObject({
      name: 'Uptime',
      query: 'SELECT * FROM uptime;',
      description: '',
      team_id: null,
      interval: 0,
      platform: '',
      min_osquery_version: '',
      automations_enabled: false,
      logging: 'snapshot',
      saved: true,
      observer_can_run: false,
      discard_data: false,
      author_name: 'Admin',
      author_email: 'admin@example.com',
      packs: [],
      stats: { total_executions: null },
    })
    expect(query.author_id).toEqual(expect.any(Number))
    const got = await t.request('GET', `${FLEET_API}/queries/${String(query.id)}`, { token: admin })
    expect(queryOf(got)).toEqual(query)
    expect(await activities('created_saved_query')).toMatchObject([
      { details: { query_id: query.id, query_name: 'Uptime', team_id: null, team_name: null } },
    ])
  })

  it('refuses bad fields with 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'a', query: '   ' }, 'query'],
      [{ name: 'a', query: `SELECT '${'x'.repeat(70_000)}'` }, 'query'],
      [{ name: '', query: 'SELECT 1' }, 'name'],
      [{ name: 'a', query: 'SELECT 1', logging: 'sometimes' }, 'logging'],
      [{ name: 'a', query: 'SELECT 1', platform: 'darwin,amiga' }, 'platform'],
      [{ name: 'a', query: 'SELECT 1', interval: -1 }, 'interval'],
      [{ name: 'a', query: 'SELECT 1', interval: 1.5 }, 'interval'],
      [{ name: 'a', query: 'SELECT 1', interval: 700_000 }, 'interval'],
      [{ name: 'a', query: 'SELECT 1', min_osquery_version: 'latest' }, 'min_osquery_version'],
    ]
    for (const [body, field] of cases) {
      const res = await create(body)
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400)
      expect(res.json()).toMatchObject({ errors: [{ name: field }] })
    }
    const patched = await t.request('PATCH', `${FLEET_API}/queries/1`, {
      token: admin,
      body: { logging: 'never' },
    })
    expect(patched.statusCode).toBe(400)
    expect(patched.json()).toMatchObject({ errors: [{ name: 'logging' }] })
  })

  it('keeps names unique per team: 409 on a duplicate, fine in another team', async () => {
    await create({ name: 'Uptime', query: 'SELECT * FROM uptime;' })
    const dup = await create({ name: 'Uptime', query: 'SELECT 2' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json()).toMatchObject({ code: 'QUERY_NAME_EXISTS', errors: [{ name: 'name' }] })
    const inTeam = await create({ name: 'Uptime', query: 'SELECT 2', team_id: teamId })
    expect(inTeam.statusCode).toBe(200)
    expect(queryOf(inTeam).team_id).toBe(teamId)
    expect((await create({ name: 'Uptime', query: 'SELECT 3', team_id: teamId })).statusCode).toBe(
      409,
    )
    const other = queryOf(await create({ name: 'Other', query: 'SELECT 4' }))
    const renamed = await t.request('PATCH', `${FLEET_API}/queries/${String(other.id)}`, {
      token: admin,
      body: { name: 'Uptime' },
    })
    expect(renamed.statusCode).toBe(409)
    expect((await create({ name: 'x', query: 'SELECT 1', team_id: 999_999 })).statusCode).toBe(404)
  })

  it('edits a query; platform lists are normalized; edits are recorded', async () => {
    const query = queryOf(await create({ name: 'Procs', query: 'SELECT * FROM processes' }))
    const res = await t.request('PATCH', `${FLEET_API}/queries/${String(query.id)}`, {
      token: admin,
      body: {
        description: 'every process',
        interval: 3600,
        platform: ' linux, darwin ,linux',
        min_osquery_version: '5.4.0',
        automations_enabled: true,
        logging: 'differential',
        observer_can_run: true,
        team_id: teamId,
      },
    })
    expect(res.statusCode).toBe(200)
    expect(queryOf(res)).toMatchObject({
      id: query.id,
      name: 'Procs',
      description: 'every process',
      interval: 3600,
      platform: 'linux,darwin',
      min_osquery_version: '5.4.0',
      automations_enabled: true,
      logging: 'differential',
      observer_can_run: true,
      team_id: null,
    })
    expect(await activities('edited_saved_query')).toMatchObject([
      { details: { query_id: query.id, query_name: 'Procs' } },
    ])
    const missing = await t.request('PATCH', `${FLEET_API}/queries/999999`, {
      token: admin,
      body: { description: 'x' },
    })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toMatchObject({ code: 'QUERY_NOT_FOUND' })
  })

  it('lists global queries, a team’s, or both; sorts, searches and pages', async () => {
    await createQueries()
    expect(names(await list())).toEqual(['Other', 'Procs', 'Uptime'])
    expect(names(await list(`?team_id=${teamId}`))).toEqual(['Uptime'])
    const merged = await list(`?team_id=${teamId}&merge_inherited=true&order_key=id`)
    expect((merged.queries as { team_id: number | null }[]).map((q) => q.team_id)).toEqual([
      null,
      teamId,
      null,
      null,
    ])
    expect(names(await list('?order_key=name&order_direction=desc'))).toEqual([
      'Uptime',
      'Procs',
      'Other',
    ])
    expect(names(await list('?query=PRO'))).toEqual(['Procs'])
    const page = await list('?per_page=2&page=1')
    expect(names(page)).toEqual(['Uptime'])
    expect(page).toMatchObject({
      count: 3,
      meta: { has_next_results: false, has_previous_results: true },
    })
    expect((await list('?per_page=2')).meta).toMatchObject({ has_next_results: true })
    const bad = await t.request('GET', `${FLEET_API}/queries?order_key=sql`, { token: admin })
    expect(bad.statusCode).toBe(400)
  })

  it('deletes by name (global or with team_id), by id, and several at once', async () => {
    await createQueries()
    const del = (url: string, body?: unknown) =>
      t.request('DELETE', `${FLEET_API}${url}`, { token: admin, body })
    expect((await del('/queries/Nope')).statusCode).toBe(404)
    expect((await del(`/queries/Uptime?team_id=${teamId}`)).statusCode).toBe(200)
    expect(names(await list(`?team_id=${teamId}`))).toEqual([])
    expect(names(await list())).toContain('Uptime')
    await create({ name: 'Uptime', query: 'SELECT 2', team_id: teamId })
    expect((await del('/queries/Uptime', { team_id: teamId })).statusCode).toBe(200)
    expect(names(await list(`?team_id=${teamId}`))).toEqual([])
    expect((await del('/queries/Uptime')).statusCode).toBe(200)
    expect(await activities('deleted_saved_query')).toHaveLength(3)

    const ids = [
      queryOf(await create({ name: 'd1', query: 'SELECT 1' })).id,
      queryOf(await create({ name: 'd2', query: 'SELECT 1', team_id: teamId })).id,
      queryOf(await create({ name: 'd3', query: 'SELECT 1' })).id,
    ]
    expect((await del(`/queries/id/${String(ids[2])}`)).statusCode).toBe(200)
    expect((await del(`/queries/id/${String(ids[2])}`)).statusCode).toBe(404)
    const missing = await t.request('POST', `${FLEET_API}/queries/delete`, {
      token: admin,
      body: { ids: [ids[0], 999_999] },
    })
    expect(missing.statusCode).toBe(404)
    const bulk = await t.request('POST', `${FLEET_API}/queries/delete`, {
      token: admin,
      body: { ids: [ids[0], ids[1]] },
    })
    expect(bulk.statusCode).toBe(200)
    expect(bulk.json()).toEqual({ deleted: 2 })
    expect(await activities('deleted_multiple_saved_query')).toMatchObject([
      { details: { query_ids: [ids[0], ids[1]] } },
    ])
  })

  it('applies specs by (team, name) and returns queries as specs', async () => {
    const spec = {
      name: 'Listening ports',
      description: 'ports',
      query: 'SELECT * FROM listening_ports',
      interval: 600,
      platform: 'linux',
      automations_enabled: true,
      logging: 'differential_ignore_removals',
    }
    const applied = await t.request('POST', `${FLEET_API}/spec/queries`, {
      token: admin,
      body: { specs: [spec, { ...spec, team: 'Ops', interval: 60 }] },
    })
    expect(applied.statusCode).toBe(200)
    const again = await t.request('POST', `${FLEET_API}/spec/queries`, {
      token: admin,
      body: { specs: [{ ...spec, description: 'open ports' }] },
    })
    expect(again.statusCode).toBe(200)
    const global = await t.request('GET', `${FLEET_API}/spec/queries`, { token: admin })
    const listening = (global.data().specs as { name: string }[]).filter(
      (s) => s.name === 'Listening ports',
    )
    expect(listening).toEqual([
      {
        ...spec,
        description: 'open ports',
        team: '',
        observer_can_run: false,
        min_osquery_version: '',
        discard_data: false,
      },
    ])
    const team = await t.request('GET', `${FLEET_API}/spec/queries?team_id=${teamId}`, {
      token: admin,
    })
    expect(team.data().specs).toMatchObject([
      { name: 'Listening ports', team: 'Ops', interval: 60 },
    ])
    const one = await t.request('GET', `${FLEET_API}/spec/queries/Listening%20ports`, {
      token: admin,
    })
    expect(one.data().specs).toMatchObject({ name: 'Listening ports', description: 'open ports' })
    expect(
      (await t.request('GET', `${FLEET_API}/spec/queries/nope`, { token: admin })).statusCode,
    ).toBe(404)
    const unknownTeam = await t.request('POST', `${FLEET_API}/spec/queries`, {
      token: admin,
      body: { specs: [{ ...spec, team: 'Nobody' }] },
    })
    expect(unknownTeam.statusCode).toBe(400)
    expect(unknownTeam.json()).toMatchObject({ errors: [{ name: 'specs.0.team' }] })
    const badSql = await t.request('POST', `${FLEET_API}/spec/queries`, {
      token: admin,
      body: { specs: [{ ...spec, query: '' }] },
    })
    expect(badSql.statusCode).toBe(400)
    expect(badSql.json()).toMatchObject({ errors: [{ name: 'specs.0.query' }] })
    expect(await activities('applied_spec_saved_query')).toHaveLength(2)
  })

  it("deletes a team's queries with the team", async () => {
    const team = await t.request('POST', `${FLEET_API}/teams`, {
      token: admin,
      body: { name: 'Tmp' },
    })
    const id = Number(asRecord(team.data().team).id)
    const query = queryOf(await create({ name: 'Team only', query: 'SELECT 1', team_id: id }))
    expect(
      (await t.request('DELETE', `${FLEET_API}/teams/${id}`, { token: admin })).statusCode,
    ).toBe(200)
    const gone = await t.request('GET', `${FLEET_API}/queries/${String(query.id)}`, {
      token: admin,
    })
    expect(gone.statusCode).toBe(404)
  })

  it('stores an empty logging as snapshot, as Fleet does (Go zero value from real fleetctl)', async () => {
    const created = queryOf(await create({ name: 'Empty logging', query: 'SELECT 1', logging: '' }))
    expect(created.logging).toBe('snapshot')
    const id = String(created.id)
    await t.request('PATCH', `${FLEET_API}/queries/${id}`, {
      token: admin,
      body: { logging: 'differential' },
    })
    const patched = await t.request('PATCH', `${FLEET_API}/queries/${id}`, {
      token: admin,
      body: { logging: '' },
    })
    expect(patched.statusCode).toBe(200)
    expect(queryOf(patched).logging).toBe('snapshot')
    const applied = await t.request('POST', `${FLEET_API}/spec/queries`, {
      token: admin,
      body: { specs: [{ name: 'Empty logging spec', query: 'SELECT 2', logging: '' }] },
    })
    expect(applied.statusCode).toBe(200)
    const spec = await t.request('GET', `${FLEET_API}/spec/queries/Empty%20logging%20spec`, {
      token: admin,
    })
    expect(spec.data().specs).toMatchObject({ logging: 'snapshot' })
  })
})
