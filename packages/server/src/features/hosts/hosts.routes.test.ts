import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

const SECRET = 'hosts-global-secret'
const TEAM_SECRET = 'hosts-team-secret'

describe.each(DIALECTS)('hosts REST API [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamId: number
  const nodeKeys: string[] = []

  const enroll = async (
    n: number,
    secret: string,
    template: 'ubuntu_22.04' | 'windows_11' = 'ubuntu_22.04',
  ) => {
    const res = await t.request('POST', '/api/osquery/enroll', {
      body: fixtureBlock(template, 'enroll', {
        uuid: `UUID-${n}`,
        hostname: `host-${n}`,
        enrollSecret: secret,
      }),
    })
    const key = String(res.data().node_key)
    nodeKeys.push(key)
    return key
  }
  const hostsList = async (query = '', token = admin) => {
    const res = await t.request('GET', `${FLEET_API}/hosts${query}`, { token })
    expect(res.statusCode).toBe(200)
    return res.data().hosts as Record<string, unknown>[]
  }

  // Each test starts from its own server: host-1 (ubuntu) and host-2 (windows) with no team,
  // host-3 (ubuntu) in team Servers.
  beforeEach(async () => {
    nodeKeys.length = 0
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: SECRET }] } },
    })
    teamId = Number(
      asRecord(
        (
          await t.request('POST', `${FLEET_API}/teams`, {
            token: admin,
            body: { name: 'Servers', secrets: [{ secret: TEAM_SECRET }] },
          })
        ).data().team,
      ).id,
    )
    await enroll(1, SECRET)
    await enroll(2, SECRET, 'windows_11')
    await enroll(3, TEAM_SECRET)
  })
  afterEach(() => t.close())

  it("lists hosts with Fleet's fields, filters and paging", async () => {
    const all = await hostsList()
    expect(all.map((h) => h.hostname)).toEqual(['host-1', 'host-2', 'host-3'])
    expect(all[0]).toMatchObject({
      platform: 'ubuntu',
      status: 'online',
      team_id: null,
      team_name: null,
      display_name: 'host-1',
      issues: { total_issues_count: 0 },
    })
    expect(all[2]).toMatchObject({ team_id: teamId, team_name: 'Servers' })
    expect((await hostsList(`?team_id=${teamId}`)).map((h) => h.hostname)).toEqual(['host-3'])
    expect((await hostsList('?team_id=0')).map((h) => h.hostname)).toEqual(['host-1', 'host-2'])
    expect((await hostsList('?query=HOST-2')).map((h) => h.hostname)).toEqual(['host-2'])
    expect((await hostsList('?query=UUID-3')).map((h) => h.hostname)).toEqual(['host-3'])
    expect((await hostsList('?per_page=2&page=1')).map((h) => h.hostname)).toEqual(['host-3'])
    expect(
      (await hostsList('?order_key=hostname&order_direction=desc')).map((h) => h.hostname),
    ).toEqual(['host-3', 'host-2', 'host-1'])
    const bad = await t.request('GET', `${FLEET_API}/hosts?order_key=password`, { token: admin })
    expect(bad.statusCode).toBe(400)
    const count = await t.request('GET', `${FLEET_API}/hosts/count?team_id=0`, { token: admin })
    expect(count.data()).toEqual({ count: 2 })
  })

  it("computes status from the last check-in and the host's intervals", async () => {
    t.clock.advance(10 * 60_000)
    await t.request('POST', '/api/osquery/distributed/read', { body: { node_key: nodeKeys[0] } })
    await t.server.agents.seen.flush()
    expect((await hostsList('?status=online')).map((h) => h.hostname)).toEqual(['host-1'])
    expect((await hostsList('?status=offline')).map((h) => h.hostname)).toEqual([
      'host-2',
      'host-3',
    ])
    expect((await hostsList('?status=missing')).length).toBe(0)
    const summary = await t.request('GET', `${FLEET_API}/host_summary`, { token: admin })
    expect(summary.data()).toMatchObject({
      totals_hosts_count: 3,
      online_count: 1,
      offline_count: 2,
      all_linux_count: 2,
      platforms: [
        { platform: 'ubuntu', hosts_count: 2 },
        { platform: 'windows', hosts_count: 1 },
      ],
    })
  })

  it('gets a host by id and by identifier, with its users', async () => {
    const [first] = await hostsList('?query=host-1')
    const byId = await t.request('GET', `${FLEET_API}/hosts/${String(first?.id)}`, { token: admin })
    expect(byId.statusCode).toBe(200)
    expect(byId.data().host).toMatchObject({ hostname: 'host-1', users: [] })
    for (const identifier of ['host-1', 'UUID-1', 'D02R835DG8WK']) {
      const res = await t.request('GET', `${FLEET_API}/hosts/identifier/${identifier}`, {
        token: admin,
      })
      expect(res.statusCode).toBe(200)
    }
    expect((await t.request('GET', `${FLEET_API}/hosts/99999`, { token: admin })).statusCode).toBe(
      404,
    )
  })

  it("shows team users only their team's hosts and forbids the rest", async () => {
    const teamObserver = await t.createUser(admin, {
      email: 'tobs@example.com',
      teams: [{ id: teamId, role: 'observer' }],
    })
    expect((await hostsList('', teamObserver.token)).map((h) => h.hostname)).toEqual(['host-3'])
    const [first] = await hostsList('?query=host-1')
    expect(
      (
        await t.request('GET', `${FLEET_API}/hosts/${String(first?.id)}`, {
          token: teamObserver.token,
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (
        await t.request('DELETE', `${FLEET_API}/hosts/${String(first?.id)}`, {
          token: teamObserver.token,
        })
      ).statusCode,
    ).toBe(403)
    const observer = await t.createUser(admin, {
      email: 'gobs@example.com',
      globalRole: 'observer',
    })
    expect(
      (
        await t.request('POST', `${FLEET_API}/hosts/transfer`, {
          token: observer.token,
          body: { team_id: teamId, hosts: [first?.id] },
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (
        await t.request('POST', `${FLEET_API}/hosts/delete`, {
          token: observer.token,
          body: { ids: [first?.id] },
        })
      ).statusCode,
    ).toBe(403)
    expect(await hostsList()).toHaveLength(3)
  })

  it('gives gitops users, global or team, no host reads; team readers keep theirs', async () => {
    const [teamHost] = await hostsList(`?team_id=${teamId}`)
    const labels = await t.request('GET', `${FLEET_API}/labels`, { token: admin })
    const allHosts = (labels.data().labels as { id: number; name: string }[]).find(
      (l) => l.name === 'All Hosts',
    )
    const reads = [
      '/hosts',
      `/hosts?team_id=${teamId}`,
      '/hosts/count',
      `/hosts/count?team_id=${teamId}`,
      `/hosts/${String(teamHost?.id)}`,
      '/hosts/identifier/host-3',
      '/host_summary',
      `/host_summary?team_id=${teamId}`,
      `/labels/${String(allHosts?.id)}/hosts`,
    ]
    const teamGitops = await t.createUser(admin, {
      email: 'tgitops@example.com',
      teams: [{ id: teamId, role: 'gitops' }],
      apiOnly: true,
    })
    const globalGitops = await t.createUser(admin, {
      email: 'ggitops@example.com',
      globalRole: 'gitops',
      apiOnly: true,
    })
    for (const { token } of [teamGitops, globalGitops]) {
      for (const path of reads) {
        const res = await t.request('GET', `${FLEET_API}${path}`, { token })
        expect({ path, status: res.statusCode }).toEqual({ path, status: 403 })
        expect(res.data()).toMatchObject({ errors: [{ name: 'base' }] })
      }
    }
    // Gitops on Servers and a reader elsewhere: lists are filtered to the other team only.
    const other = await t.request('POST', `${FLEET_API}/teams`, {
      token: admin,
      body: { name: 'Other' },
    })
    const mixed = await t.createUser(admin, {
      email: 'mixed@example.com',
      teams: [
        { id: teamId, role: 'gitops' },
        { id: Number(asRecord(other.data().team).id), role: 'observer' },
      ],
      apiOnly: true,
    })
    expect(await hostsList('', mixed.token)).toEqual([])
    expect(await hostsList(`?team_id=${teamId}`, mixed.token)).toEqual([])
    const count = await t.request('GET', `${FLEET_API}/hosts/count`, { token: mixed.token })
    expect(count.data()).toEqual({ count: 0 })
    const summary = await t.request('GET', `${FLEET_API}/host_summary?team_id=${teamId}`, {
      token: mixed.token,
    })
    expect(summary.data()).toMatchObject({ totals_hosts_count: 0 })
    const denied = await t.request('GET', `${FLEET_API}/hosts/${String(teamHost?.id)}`, {
      token: mixed.token,
    })
    expect(denied.statusCode).toBe(403)
    // Every reader role on the team still reads the team's hosts.
    for (const role of ['admin', 'maintainer', 'observer', 'observer_plus'] as const) {
      const { token } = await t.createUser(admin, {
        email: `t-${role}@example.com`,
        teams: [{ id: teamId, role }],
      })
      expect((await hostsList('', token)).map((h) => h.hostname)).toEqual(['host-3'])
      for (const path of reads.slice(2)) {
        const res = await t.request('GET', `${FLEET_API}${path}`, { token })
        expect({ path, role, status: res.statusCode }).toEqual({ path, role, status: 200 })
      }
    }
  })

  it('refetch makes the host send its detail queries again on its next check-in', async () => {
    const key = nodeKeys[0] ?? ''
    const first = await t.request('POST', '/api/osquery/distributed/read', {
      body: { node_key: key },
    })
    await t.request('POST', '/api/osquery/distributed/write', {
      body: {
        node_key: key,
        queries: Object.fromEntries(
          Object.keys(asRecord(first.data().queries)).map((name) => [name, []]),
        ),
        statuses: {},
      },
    })
    expect(
      (
        await t.request('POST', '/api/osquery/distributed/read', { body: { node_key: key } })
      ).json(),
    ).toEqual({ queries: {}, discovery: {} })
    const [host] = await hostsList('?query=host-1')
    expect(
      (await t.request('POST', `${FLEET_API}/hosts/${String(host?.id)}/refetch`, { token: admin }))
        .statusCode,
    ).toBe(200)
    expect((await hostsList('?query=host-1'))[0]?.refetch_requested).toBe(true)
    const again = await t.request('POST', '/api/osquery/distributed/read', {
      body: { node_key: key },
    })
    expect(Object.keys(asRecord(again.data().queries))).toContain('fleet_detail_query_os_version')
  })

  it('transfers hosts between teams and records it; the team count follows', async () => {
    const [host] = await hostsList('?query=host-1')
    const res = await t.request('POST', `${FLEET_API}/hosts/transfer`, {
      token: admin,
      body: { team_id: teamId, hosts: [host?.id] },
    })
    expect(res.statusCode).toBe(200)
    expect((await hostsList(`?team_id=${teamId}`)).map((h) => h.hostname)).toEqual([
      'host-1',
      'host-3',
    ])
    const team = await t.request('GET', `${FLEET_API}/teams/${teamId}`, { token: admin })
    expect(asRecord(team.data().team).host_count).toBe(2)
    const activity = await t.request(
      'GET',
      `${FLEET_API}/activities?activity_type=transferred_hosts`,
      {
        token: admin,
      },
    )
    expect(activity.data().activities).toMatchObject([
      { details: { team_id: teamId, team_name: 'Servers', host_display_names: ['host-1'] } },
    ])
    const byFilter = await t.request('POST', `${FLEET_API}/hosts/transfer/filter`, {
      token: admin,
      body: { team_id: null, filters: { team_id: teamId } },
    })
    expect(byFilter.statusCode).toBe(200)
    expect(await hostsList('?team_id=0')).toHaveLength(3)
    const missing = await t.request('POST', `${FLEET_API}/hosts/transfer`, {
      token: admin,
      body: { team_id: 9999, hosts: [host?.id] },
    })
    expect(missing.statusCode).toBe(404)
  })

  it('deletes hosts; a deleted host must enroll again', async () => {
    const [host] = await hostsList('?query=host-2')
    expect(
      (await t.request('DELETE', `${FLEET_API}/hosts/${String(host?.id)}`, { token: admin }))
        .statusCode,
    ).toBe(200)
    const read = await t.request('POST', '/api/osquery/distributed/read', {
      body: { node_key: nodeKeys[1] },
    })
    expect(read.statusCode).toBe(401)
    expect(read.data().node_invalid).toBe(true)
    const bulk = await t.request('POST', `${FLEET_API}/hosts/delete`, {
      token: admin,
      body: { filters: { query: 'host-3' } },
    })
    expect(bulk.statusCode).toBe(200)
    expect((await hostsList()).map((h) => h.hostname)).toEqual(['host-1'])
    const neither = await t.request('POST', `${FLEET_API}/hosts/delete`, { token: admin, body: {} })
    expect(neither.statusCode).toBe(400)
  })
})
