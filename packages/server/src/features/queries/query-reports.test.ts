import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

type Row = Record<string, string>

describe.each(DIALECTS)('query reports from result logs [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamObserver: string
  let teamA: number
  const hosts: Record<string, { key: string; id: number }> = {}
  const queries: Record<string, number> = {}
  /** Real rows in osquery's shape: Windows update history from the osquery-perf template. */
  let updateHistory: Row[]

  const enroll = async (name: string, template: 'ubuntu_22.04' | 'windows_11', secret: string) => {
    const res = await t.request('POST', '/api/osquery/enroll', {
      body: fixtureBlock(template, 'enroll', { uuid: name, hostname: name, enrollSecret: secret }),
    })
    const key = String(res.data().node_key)
    const host = await t.request('GET', `${FLEET_API}/hosts/identifier/${name}`, { token: admin })
    hosts[name] = { key, id: Number(asRecord(host.data().host).id) }
  }
  /** A scheduled query's result as osquery logs it (snapshot logging). */
  const snapshot = (host: string, name: string, rows: Row[], unixTime = 1_763_000_000) => ({
    snapshot: rows,
    action: 'snapshot',
    name,
    hostIdentifier: host,
    calendarTime: 'Sat Nov 22 10:00:00 2026 UTC',
    unixTime,
    epoch: 0,
    counter: 0,
    numerics: false,
    decorations: { host_uuid: host, hostname: host },
  })
  const sendResults = async (host: string, data: unknown[]) => {
    const res = await t.request('POST', '/api/osquery/log', {
      body: { node_key: hosts[host]?.key, log_type: 'result', data },
    })
    expect(res.statusCode).toBe(200)
  }
  const report = async (query: string, token = admin) => {
    const res = await t.request('GET', `${FLEET_API}/queries/${queries[query]}/report`, { token })
    expect(res.statusCode).toBe(200)
    return res.data() as {
      query_id: number
      report_clipped: boolean
      results: { host_id: number; host_name: string; last_fetched: string; columns: Row }[]
    }
  }
  const hostReport = (host: string, query: string, token = admin) =>
    t.request('GET', `${FLEET_API}/hosts/${hosts[host]?.id}/queries/${queries[query]}`, { token })
  const rowsPerHost = async (query: string) => {
    const counts: Record<string, number> = {}
    for (const row of (await report(query)).results) {
      counts[row.host_name] = (counts[row.host_name] ?? 0) + 1
    }
    return counts
  }
  const rows = (n: number, tag: string): Row[] =>
    Array.from({ length: n }, (_, i) => ({ n: String(i), tag }))
  const patch = async (query: string, body: Record<string, unknown>) => {
    const res = await t.request('PATCH', `${FLEET_API}/queries/${queries[query]}`, {
      token: admin,
      body,
    })
    expect(res.statusCode).toBe(200)
  }
  const setServerSettings = (settings: Record<string, unknown>) =>
    t.request('PATCH', `${FLEET_API}/config`, { token: admin, body: { server_settings: settings } })

  // Each test starts from its own server with the same team, hosts and queries, and no results.
  beforeEach(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: 'global' }] } },
    })
    const team = await t.request('POST', `${FLEET_API}/teams`, {
      token: admin,
      body: { name: 'A', secrets: [{ secret: 'team-a' }] },
    })
    teamA = Number(asRecord(team.data().team).id)
    teamObserver = (
      await t.createUser(admin, {
        email: 'a-observer@example.com',
        teams: [{ id: teamA, role: 'observer' }],
      })
    ).token
    await enroll('win', 'windows_11', 'global')
    await enroll('ubuntu', 'ubuntu_22.04', 'global')
    await enroll('ubuntu-a', 'ubuntu_22.04', 'team-a')
    const create = async (body: Record<string, unknown>) => {
      const res = await t.request('POST', `${FLEET_API}/queries`, { token: admin, body })
      queries[String(body.name)] = Number(asRecord(res.data().query).id)
    }
    await create({ name: 'Windows updates', query: 'SELECT * FROM windows_updates', interval: 60 })
    await create({ name: 'OS', query: 'SELECT * FROM os_version', interval: 60 })
    await create({ name: 'Team A only', query: 'SELECT 1', interval: 60, team_id: teamA })
    await create({
      name: 'Kept nowhere',
      query: 'SELECT 1',
      interval: 60,
      discard_data: true,
      automations_enabled: true,
    })
    updateHistory = fixtureBlock('windows_11', 'fleet_detail_query_windows_update_history', {
      uuid: 'win',
      hostname: 'win',
      enrollSecret: 'global',
    }) as Row[]
  })
  afterEach(() => t.close())

  it("keeps a host's latest snapshot as the query's report", async () => {
    expect(updateHistory.length).toBeGreaterThan(10)
    await sendResults('win', [snapshot('win', 'pack/Global/Windows updates', updateHistory)])
    const got = await report('Windows updates')
    expect(got.query_id).toBe(queries['Windows updates'])
    expect(got.report_clipped).toBe(false)
    expect(got.results.map((r) => r.columns)).toEqual(updateHistory)
    expect(got.results[0]).toMatchObject({
      host_id: hosts.win?.id,
      host_name: 'win',
      last_fetched: t.clock.now().toISOString(),
    })
    const mine = await hostReport('win', 'Windows updates')
    expect(mine.statusCode).toBe(200)
    expect(mine.data()).toMatchObject({
      query_id: queries['Windows updates'],
      host_id: hosts.win?.id,
      host_name: 'win',
      last_fetched: t.clock.now().toISOString(),
      report_clipped: false,
    })
    expect((mine.data().results as { columns: Row }[]).map((r) => r.columns)).toEqual(updateHistory)
    const none = await hostReport('ubuntu', 'Windows updates')
    expect(none.data()).toMatchObject({ last_fetched: null, results: [] })
  })

  it('replaces it on the next snapshot, takes the latest of several, and reads event format', async () => {
    t.clock.advance(60_000)
    await sendResults('win', [
      snapshot('win', 'pack/Global/Windows updates', rows(3, 'late'), 1_763_000_200),
      snapshot('win', 'pack/Global/Windows updates', rows(5, 'early'), 1_763_000_100),
    ])
    expect((await report('Windows updates')).results.map((r) => r.columns.tag)).toEqual([
      'late',
      'late',
      'late',
    ])
    // `--logger_snapshot_event_type`: one entry per row, with `columns`.
    const events = rows(2, 'event').map((columns) => ({
      name: 'pack/Global/OS',
      action: 'snapshot',
      columns,
      unixTime: 1_763_000_300,
      hostIdentifier: 'ubuntu',
    }))
    await sendResults('ubuntu', events)
    expect(await rowsPerHost('OS')).toEqual({ ubuntu: 2 })
    // An empty snapshot clears the rows but records when the host answered.
    await sendResults('ubuntu', [snapshot('ubuntu', 'pack/Global/OS', [])])
    expect(await rowsPerHost('OS')).toEqual({})
    expect((await hostReport('ubuntu', 'OS')).data()).toMatchObject({
      last_fetched: t.clock.now().toISOString(),
      results: [],
    })
  })

  it("ignores names it never sent, another team's pack, discarded data and differential rows", async () => {
    await sendResults('ubuntu', [
      snapshot('ubuntu', 'pack/Global/Nope', rows(1, 'x')),
      snapshot('ubuntu', `pack/team-${teamA}/Team A only`, rows(1, 'x')),
      snapshot('ubuntu', 'pack/Global/Kept nowhere', rows(1, 'x')),
      { name: 'pack/Global/OS', action: 'added', columns: { n: '1' }, unixTime: 1 },
      'not an object',
    ])
    expect(await rowsPerHost('Team A only')).toEqual({})
    expect(await rowsPerHost('Kept nowhere')).toEqual({})
    expect(await rowsPerHost('OS')).toEqual({})
    await sendResults('ubuntu-a', [
      snapshot('ubuntu-a', `pack/team-${teamA}/Team A only`, rows(2, 'a')),
      snapshot('ubuntu-a', 'pack:Global:OS', rows(1, 'a')),
    ])
    expect(await rowsPerHost('Team A only')).toEqual({ 'ubuntu-a': 2 })
    expect(await rowsPerHost('OS')).toEqual({ 'ubuntu-a': 1 })
  })

  it('caps a report at server_settings.query_report_cap rows and says it is clipped', async () => {
    expect((await setServerSettings({ query_report_cap: 50 })).statusCode).toBe(200)
    await sendResults('ubuntu', [snapshot('ubuntu', 'pack/Global/OS', rows(30, 'u'))])
    await sendResults('ubuntu-a', [snapshot('ubuntu-a', 'pack/Global/OS', rows(30, 'a'))])
    expect(await rowsPerHost('OS')).toEqual({ ubuntu: 30, 'ubuntu-a': 20 })
    expect((await report('OS')).report_clipped).toBe(true)
    expect((await hostReport('ubuntu-a', 'OS')).data().report_clipped).toBe(true)
    // A full report takes nothing more.
    await sendResults('win', [snapshot('win', 'pack/Global/OS', rows(5, 'w'))])
    expect(await rowsPerHost('OS')).toEqual({ ubuntu: 30, 'ubuntu-a': 20 })
    // A host's new, smaller snapshot makes room again.
    await sendResults('ubuntu', [snapshot('ubuntu', 'pack/Global/OS', rows(4, 'u'))])
    expect(await rowsPerHost('OS')).toEqual({ ubuntu: 4, 'ubuntu-a': 20 })
    expect((await report('OS')).report_clipped).toBe(false)
  })

  it('keeps within the cap when hosts report at the same time', async () => {
    const created = await t.request('POST', `${FLEET_API}/queries`, {
      token: admin,
      body: { name: 'Racing hosts', query: 'SELECT 2', interval: 60 },
    })
    queries['Racing hosts'] = Number(asRecord(created.data().query).id)
    expect((await setServerSettings({ query_report_cap: 50 })).statusCode).toBe(200)
    await Promise.all(
      ['win', 'ubuntu', 'ubuntu-a'].map((host) =>
        sendResults(host, [snapshot(host, 'pack/Global/Racing hosts', rows(30, host))]),
      ),
    )
    const perHost = await rowsPerHost('Racing hosts')
    expect(Object.values(perHost).reduce((a, b) => a + b, 0)).toBe(50)
  })

  it('deletes the report on new SQL, discard_data, or leaving snapshot logging', async () => {
    const send = () =>
      sendResults('win', [snapshot('win', 'pack/Global/Windows updates', rows(2, 'w'))])
    await send()
    await patch('Windows updates', { description: 'history', interval: 120 })
    expect(await rowsPerHost('Windows updates')).toEqual({ win: 2 })
    await patch('Windows updates', { query: 'SELECT title FROM windows_updates' })
    expect(await rowsPerHost('Windows updates')).toEqual({})
    await send()
    await patch('Windows updates', { discard_data: true })
    expect(await rowsPerHost('Windows updates')).toEqual({})
    await send()
    expect(await rowsPerHost('Windows updates')).toEqual({})
    await patch('Windows updates', { discard_data: false })
    await send()
    await patch('Windows updates', { logging: 'differential' })
    expect(await rowsPerHost('Windows updates')).toEqual({})
  })

  it('stores nothing while query reports are disabled', async () => {
    await setServerSettings({ query_reports_disabled: true })
    await sendResults('win', [snapshot('win', 'pack/Global/Windows updates', rows(2, 'w'))])
    expect(await rowsPerHost('Windows updates')).toEqual({})
  })

  it('shows team users only their hosts, and checks the host and the query', async () => {
    for (const host of ['ubuntu', 'ubuntu-a']) {
      await sendResults(host, [snapshot(host, 'pack/Global/OS', rows(1, host))])
    }
    const seen = await report('OS', teamObserver)
    expect(new Set(seen.results.map((r) => r.host_name))).toEqual(new Set(['ubuntu-a']))
    expect((await hostReport('ubuntu-a', 'OS', teamObserver)).statusCode).toBe(200)
    expect((await hostReport('ubuntu', 'OS', teamObserver)).statusCode).toBe(403)
    const missingQuery = await t.request('GET', `${FLEET_API}/queries/999999/report`, {
      token: admin,
    })
    expect(missingQuery.statusCode).toBe(404)
    const missingHost = await t.request('GET', `${FLEET_API}/hosts/999999/queries/${queries.OS}`, {
      token: admin,
    })
    expect(missingHost.statusCode).toBe(404)
    const unknown = await t.request('GET', `${FLEET_API}/hosts/${hosts.win?.id}/queries/999999`, {
      token: admin,
    })
    expect(unknown.statusCode).toBe(404)
  })
  it('gives gitops (write-only) no host rows, globally or on its team, as Fleet does', async () => {
    await sendResults('ubuntu-a', [
      snapshot('ubuntu-a', `pack/team-${teamA}/Team A only`, rows(1, 'a')),
      snapshot('ubuntu-a', 'pack/Global/OS', rows(1, 'a')),
    ])
    expect((await report('OS')).results.length).toBeGreaterThan(0)
    expect((await report('Team A only')).results.length).toBe(1)
    const user = (
      email: string,
      role: { globalRole: 'gitops' } | { teams: [{ id: number; role: 'gitops' }] },
    ) => t.createUser(admin, { email, apiOnly: true, ...role })
    const global = (await user('gitops@example.com', { globalRole: 'gitops' })).token
    const onTeam = (await user('a-gitops@example.com', { teams: [{ id: teamA, role: 'gitops' }] }))
      .token
    expect((await report('OS', global)).results).toEqual([])
    expect((await report('Team A only', global)).results).toEqual([])
    expect((await report('Team A only', onTeam)).results).toEqual([])
    expect((await hostReport('ubuntu-a', 'Team A only', onTeam)).statusCode).toBe(403)
    expect((await hostReport('ubuntu-a', 'OS', global)).statusCode).toBe(403)
  })
})
