import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord } from '../../test-utils/test-server.js'
import { PREFIX, startLiveFixture, type LiveFixture } from '../../test-utils/live-query-fixture.js'

describe.each(DIALECTS)('live query campaigns [%s]', (dialect) => {
  let f: LiveFixture

  beforeAll(async () => {
    f = await startLiveFixture(dialect)
  })
  afterAll(() => f.t.close())

  /** Starts a campaign and returns its id (expects 200). */
  const start = async (token: string, body: unknown, path?: string) => {
    const res = await f.run(token, body, path)
    expect(res.statusCode, res.body).toBe(200)
    return Number(asRecord(res.data().campaign).id)
  }
  /** The hosts a running campaign targets, by name. */
  const targets = (id: number) => {
    const campaign = f.t.server.liveQueries.registry.get(id)
    const names = Object.entries(f.hosts)
      .filter(([, host]) => campaign?.targets.has(host.id))
      .map(([name]) => name)
    return names.sort()
  }
  const adHoc = (selected: Record<string, unknown>) => ({ query: 'SELECT 1', selected })

  it('starts an ad-hoc campaign: Fleet shape, metrics, audit record', async () => {
    const res = await f.run(f.admin, {
      query: 'SELECT * FROM osquery_info',
      selected: { hosts: [f.hosts.h1.id, f.hosts.h3.id], labels: null, teams: null },
    })
    expect(res.statusCode, res.body).toBe(200)
    const campaign = asRecord(res.data().campaign)
    expect(campaign).toMatchObject({
      query_id: null,
      status: 0,
      Metrics: { TotalHosts: 2, OnlineHosts: 2, OfflineHosts: 0, MissingInActionHosts: 0 },
    })
    expect(typeof campaign.created_at).toBe('string')
    expect(targets(Number(campaign.id))).toEqual(['h1', 'h3'])
    const activities = await f.t.request('GET', `${FLEET_API}/activities`, { token: f.admin })
    const [latest] = activities.data().activities as { type: string; details: unknown }[]
    expect(latest).toMatchObject({
      type: 'live_query',
      details: { targets_count: 2, query_sql: 'SELECT * FROM osquery_info' },
    })
  })

  it('resolves targets: labels OR-ed, teams OR-ed, labels AND teams, hosts always', async () => {
    const { a, b } = f.teams
    expect(targets(await start(f.admin, adHoc({ labels: [f.pairLabel] })))).toEqual(['h1', 'h2'])
    expect(targets(await start(f.admin, adHoc({ teams: [a] })))).toEqual(['h2', 'h4'])
    expect(targets(await start(f.admin, adHoc({ teams: [a, b] })))).toEqual(['h2', 'h3', 'h4'])
    expect(targets(await start(f.admin, adHoc({ teams: [0] })))).toEqual(['h1'])
    expect(targets(await start(f.admin, adHoc({ labels: [f.pairLabel], teams: [a] })))).toEqual([
      'h2',
    ])
    expect(
      targets(
        await start(f.admin, adHoc({ hosts: [f.hosts.h3.id], labels: [f.pairLabel], teams: [a] })),
      ),
    ).toEqual(['h2', 'h3'])
    // The built-in "All Hosts" label (id 6) is every host, whatever its membership rows say.
    expect(targets(await start(f.admin, adHoc({ labels: [6] })))).toEqual(['h1', 'h2', 'h3', 'h4'])
  })

  it('refuses bad input with 400', async () => {
    const cases: [unknown, string][] = [
      [{ query: '', selected: { hosts: [f.hosts.h1.id] } }, 'query'],
      [{ query: '   ', selected: { hosts: [f.hosts.h1.id] } }, 'query'],
      [{ selected: { hosts: [f.hosts.h1.id] } }, 'query'],
      [{ query: `SELECT '${'x'.repeat(70_000)}'`, selected: { hosts: [f.hosts.h1.id] } }, 'query'],
      [{ query: 'SELECT 1', selected: { hosts: ['one'] } }, 'selected.hosts.0'],
    ]
    for (const [body, field] of cases) {
      const res = await f.run(f.admin, body)
      expect(res.statusCode, res.body).toBe(400)
      expect((res.data().errors as { name: string }[])[0]?.name).toBe(field)
    }
  })

  it('says clearly when nothing is targeted', async () => {
    for (const selected of [{}, { hosts: [999_999] }, { labels: [999_999] }]) {
      const res = await f.run(f.admin, adHoc(selected))
      expect(res.statusCode).toBe(400)
      expect(res.data()).toMatchObject({
        code: 'LIVE_QUERY_NO_TARGETS',
        errors: [{ name: 'selected', reason: 'no hosts targeted' }],
      })
    }
  })

  it('lets observers run only saved queries marked observer_can_run; observer+ runs anything', async () => {
    const { observer, observerPlus, maintainer, gitops } = f.users
    const selected = { hosts: [f.hosts.h1.id] }
    expect((await f.run(observer.token, adHoc(selected))).statusCode).toBe(403)
    expect((await f.run(gitops.token, adHoc(selected))).statusCode).toBe(403)
    expect((await f.run(observerPlus.token, adHoc(selected))).statusCode).toBe(200)
    expect((await f.run(maintainer.token, adHoc(selected))).statusCode).toBe(200)

    const saved = async (name: string, observerCanRun: boolean) => {
      const res = await f.t.request('POST', `${FLEET_API}/queries`, {
        token: f.admin,
        body: { name, query: 'SELECT 42', observer_can_run: observerCanRun },
      })
      expect(res.statusCode, res.body).toBe(200)
      return Number(asRecord(res.data().query).id)
    }
    const open = await saved('observers may run', true)
    const closed = await saved('observers may not run', false)
    const res = await f.run(observer.token, { query_id: open, selected })
    expect(res.statusCode, res.body).toBe(200)
    const campaign = asRecord(res.data().campaign)
    expect(campaign).toMatchObject({ query_id: open, user_id: observer.id })
    expect(f.t.server.liveQueries.registry.get(Number(campaign.id))?.sql).toBe('SELECT 42')
    expect((await f.run(observer.token, { query_id: closed, selected })).statusCode).toBe(403)
    expect((await f.run(observerPlus.token, { query_id: closed, selected })).statusCode).toBe(200)
    const missing = await f.run(f.admin, { query_id: 999_999, selected })
    expect(missing.statusCode).toBe(404)
    const activities = await f.t.request('GET', `${FLEET_API}/activities`, { token: f.admin })
    const [latest] = activities.data().activities as { details: unknown }[]
    expect(latest?.details).toMatchObject({ query_name: 'observers may not run' })
  })

  it("limits team users to their teams' hosts", async () => {
    const { teamMaintainer, teamObserver } = f.users
    const token = teamMaintainer.token
    expect(targets(await start(token, adHoc({ labels: [6] })))).toEqual(['h2', 'h4'])
    expect(targets(await start(token, adHoc({ teams: [f.teams.a] })))).toEqual(['h2', 'h4'])
    expect((await f.run(token, adHoc({ teams: [f.teams.b] }))).statusCode).toBe(403)
    expect((await f.run(token, adHoc({ teams: [0] }))).statusCode).toBe(403)
    const elsewhere = await f.run(token, adHoc({ hosts: [f.hosts.h1.id, f.hosts.h3.id] }))
    expect(elsewhere.statusCode).toBe(400)
    expect((await f.run(teamObserver.token, adHoc({ labels: [6] }))).statusCode).toBe(403)
  })

  it("refuses a team user another team's saved query on every run path", async () => {
    const { teamMaintainer } = f.users
    const saved = async (name: string, teamId: number | null) => {
      const res = await f.t.request('POST', `${FLEET_API}/queries`, {
        token: f.admin,
        body: { name, query: 'SELECT 7', team_id: teamId, observer_can_run: true },
      })
      expect(res.statusCode, res.body).toBe(200)
      return Number(asRecord(res.data().query).id)
    }
    const teamB = await saved('team B only', f.teams.b)
    const teamA = await saved('team A only', f.teams.a)
    const global = await saved('everyone', null)
    const token = teamMaintainer.token
    const attempts = [
      f.run(token, { query_id: teamB, selected: { hosts: [f.hosts.h2.id] } }),
      f.run(token, { query_id: teamB, selected: { teams: [f.teams.a] } }),
      f.run(
        token,
        { query_id: teamB, selected: { hosts: ['lq-host-2'] } },
        '/queries/run_by_names',
      ),
      f.run(
        token,
        { query_id: teamB, selected: { hosts: ['lq-host-2'] } },
        '/queries/run_by_identifiers',
      ),
      f.t.request('POST', `${FLEET_API}/queries/${teamB}/run`, {
        token,
        body: { host_ids: [f.hosts.h2.id] },
      }),
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode, res.body).toBe(403)
    }
    for (const id of [teamA, global]) {
      const campaign = await start(token, { query_id: id, selected: { hosts: [f.hosts.h2.id] } })
      expect(targets(campaign)).toEqual(['h2'])
    }
    expect(
      targets(await start(f.admin, { query_id: teamB, selected: { hosts: [f.hosts.h3.id] } })),
    ).toEqual(['h3'])
  })

  it('runs by identifiers and label names; an unknown label name is a 400', async () => {
    const byName = await start(
      f.admin,
      { query: 'SELECT 1', selected: { hosts: ['lq-host-3', 'no-such-host'], labels: ['Pair'] } },
      '/queries/run_by_identifiers',
    )
    expect(targets(byName)).toEqual(['h1', 'h2', 'h3'])
    const all = await start(
      f.admin,
      { query: 'SELECT 1', selected: { labels: ['All Hosts'] } },
      '/queries/run_by_names',
    )
    expect(targets(all)).toEqual(['h1', 'h2', 'h3', 'h4'])
    const unknown = await f.run(
      f.admin,
      { query: 'SELECT 1', selected: { labels: ['Pair', 'Nope', 'Zilch'] } },
      '/queries/run_by_identifiers',
    )
    expect(unknown.statusCode).toBe(400)
    expect(unknown.data().errors).toEqual([
      { name: 'base', reason: 'Invalid label name(s): Nope, Zilch.' },
    ])
  })

  it("ignores the empty entries real fleetctl sends ('--labels X' sends hosts: [''])", async () => {
    const byLabel = await start(
      f.admin,
      { query: 'SELECT 1', selected: { hosts: [''], labels: ['Pair'] } },
      '/queries/run_by_identifiers',
    )
    expect(targets(byLabel)).toEqual(['h1', 'h2'])
    const byHost = await start(
      f.admin,
      { query: 'SELECT 1', selected: { hosts: ['lq-host-3'], labels: [''] } },
      '/queries/run_by_names',
    )
    expect(targets(byHost)).toEqual(['h3'])
  })

  it('is refused (403) while an administrator disables live queries', async () => {
    const set = (disabled: boolean) =>
      f.t.request('PATCH', `${FLEET_API}/config`, {
        token: f.admin,
        body: { server_settings: { live_query_disabled: disabled } },
      })
    expect((await set(true)).statusCode).toBe(200)
    const res = await f.run(f.admin, adHoc({ hosts: [f.hosts.h1.id] }))
    expect(res.statusCode).toBe(403)
    expect(res.data().code).toBe('LIVE_QUERY_DISABLED')
    const status = await f.t.request('GET', `${FLEET_API}/status/live_query`, { token: f.admin })
    expect(status.statusCode).toBe(403)
    expect((await set(false)).statusCode).toBe(200)
    const ok = await f.t.request('GET', `${FLEET_API}/status/live_query`, {
      token: f.users.observer.token,
    })
    expect(ok.statusCode).toBe(200)
    const store = await f.t.request('GET', `${FLEET_API}/status/result_store`, { token: f.admin })
    expect(store.statusCode).toBe(200)
  })
})

describe.each(DIALECTS)('live queries on the check-in path [%s]', (dialect) => {
  let f: LiveFixture

  beforeAll(async () => {
    f = await startLiveFixture(dialect)
  })
  afterAll(() => f.t.close())

  it('asks only targeted hosts, with no SQL on any check-in', async () => {
    const res = await f.run(f.admin, {
      query: 'SELECT name FROM processes',
      selected: { hosts: [f.hosts.h1.id] },
    })
    const id = Number(asRecord(res.data().campaign).id)
    // Warm the caches a first check-in fills (the host, labels, policies), then count.
    await f.read(f.hosts.h1)
    await f.read(f.hosts.h2)
    // Hosts are asked once someone reads the campaign (so no answer comes before its reader).
    expect(await f.liveQueries(f.hosts.h1)).toEqual({})
    await f.t.server.liveQueries.campaigns.select(id)
    const before = f.t.database.queries.length
    expect(await f.liveQueries(f.hosts.h1)).toEqual({ [id]: 'SELECT name FROM processes' })
    expect(await f.liveQueries(f.hosts.h2)).toEqual({})
    expect(f.t.database.queries.slice(before)).toEqual([])
    // Its reader isn't listening (it went away without a trace): the answer can't be delivered,
    // so the host is asked again (Fleet's "waiting for listener") rather than losing it.
    await f.answer(f.hosts.h1, { [`${PREFIX}${id}`]: [{ name: 'sshd' }] })
    expect(Object.keys(await f.liveQueries(f.hosts.h1))).toEqual([String(id)])
  })

  it('stops campaigns nobody reads: unread for a minute, or answered with nobody listening', async () => {
    const create = async (hostId: number) => {
      const res = await f.run(f.admin, { query: 'SELECT 2', selected: { hosts: [hostId] } })
      return Number(asRecord(res.data().campaign).id)
    }
    const unread = await create(f.hosts.h3.id)
    const abandoned = await create(f.hosts.h2.id)
    await f.t.server.liveQueries.campaigns.select(abandoned)
    expect(Object.keys(await f.liveQueries(f.hosts.h2))).toContain(String(abandoned))
    f.t.clock.advance(30_000)
    expect(await f.t.server.liveQueries.campaigns.sweep()).toBe(0)
    f.t.clock.advance(31_000)
    // Read once, but its reader vanished: the next answer stops it (Fleet's rule) …
    await f.answer(f.hosts.h2, { [`${PREFIX}${abandoned}`]: [] })
    expect(f.t.server.liveQueries.registry.get(abandoned)).toBeUndefined()
    // … and the periodic sweep stops those nobody started reading within a minute.
    expect(await f.t.server.liveQueries.campaigns.sweep()).toBe(1)
    expect(f.t.server.liveQueries.registry.get(unread)).toBeUndefined()
    const rows = await f.t.database.db
      .selectFrom('live_query_campaigns')
      .select('status')
      .where('id', 'in', [unread, abandoned])
      .execute()
    expect(rows.map((r) => r.status)).toEqual([2, 2])
    // Read campaigns end after a day at the latest, whatever happened to their reader.
    const old = await create(f.hosts.h4.id)
    await f.t.server.liveQueries.campaigns.select(old)
    f.t.clock.advance(86_400_000)
    expect(await f.t.server.liveQueries.campaigns.sweep()).toBeGreaterThanOrEqual(1)
    expect(f.t.server.liveQueries.registry.get(old)).toBeUndefined()
  })
})
