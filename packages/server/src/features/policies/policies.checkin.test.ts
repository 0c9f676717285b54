import { randomUUID } from 'node:crypto'
import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { policyHostCountsJob } from './index.js'
import { policyKit, type EnrolledHost } from '../../test-utils/policy-kit.js'

const HOUR = 3_600_000

describe.each(DIALECTS)('policies on check-in [%s]', (dialect) => {
  let t: TestServer
  let kit: ReturnType<typeof policyKit>
  let admin: string
  let teamA: number
  let teamB: number
  const p = { all: 0, linux: 0, windows: 0, teamA: 0, teamB: 0 }
  let ubuntu: EnrolledHost
  let windows: EnrolledHost
  let laptopA: EnrolledHost
  let serverB: EnrolledHost

  const get = async (path: string) => {
    const res = await t.request('GET', `${FLEET_API}${path}`, { token: admin })
    expect(res.statusCode, res.body).toBe(200)
    return res.data()
  }
  const hostnames = async (query: string) =>
    ((await get(`/hosts?${query}`)).hosts as { hostname: string }[]).map((h) => h.hostname).sort()
  const detailPolicies = async (host: EnrolledHost) =>
    (
      asRecord((await get(`/hosts/${host.id}`)).host).policies as { id: number; response: string }[]
    ).map((policy) => [policy.id, policy.response])
  const membershipOf = async (host: EnrolledHost) =>
    (
      await t.deps.db
        .selectFrom('policy_membership')
        .select(['policy_id', 'passes'])
        .where('host_id', '=', host.id)
        .orderBy('policy_id')
        .execute()
    ).map((r) => [r.policy_id, r.passes === null ? null : Number(r.passes)])

  /**
   * Every host answers its policies once: ubuntu passes "all" and fails SSH, windows fails "all"
   * and errors on BitLocker, the laptop also answers another team's policy and an unknown one
   * (both ignored), serverB fails "all" and SSH. Returns the policy ids each host was asked.
   */
  async function answerAll(): Promise<number[][]> {
    const asked = [
      await kit.checkIn(ubuntu, { [p.all]: 'pass', [p.linux]: 'fail' }),
      await kit.checkIn(windows, { [p.all]: 'fail', [p.windows]: 'error' }),
    ]
    const laptopQueries = await kit.read(laptopA)
    asked.push(kit.policyIds(laptopQueries))
    await kit.answer(
      laptopA,
      laptopQueries,
      { [p.all]: 'pass', [p.linux]: 'pass', [p.teamA]: 'fail' },
      { [p.teamB]: 'pass', 99_999: 'fail' },
    )
    asked.push(
      await kit.checkIn(serverB, { [p.all]: 'fail', [p.linux]: 'fail', [p.teamB]: 'pass' }),
    )
    return asked
  }

  // Each test starts from its own server with the same teams, policies and hosts.
  beforeEach(async () => {
    t = await startTestServer(dialect)
    kit = policyKit(t)
    admin = await t.setupAdmin()
    await kit.addSecret(admin, 'policies-global')
    teamA = await kit.createTeam(admin, 'Laptops', 'policies-team-a')
    teamB = await kit.createTeam(admin, 'Servers', 'policies-team-b')
    const sql = (table: string) => `SELECT 1 FROM ${table};`
    p.all = await kit.createPolicy(admin, { name: 'osquery runs', query: sql('osquery_info') })
    p.linux = await kit.createPolicy(admin, {
      name: 'SSH hardened',
      query: sql('sshd'),
      platform: 'linux',
      resolution: 'Set PermitRootLogin no',
    })
    p.windows = await kit.createPolicy(admin, {
      name: 'BitLocker on',
      query: sql('bitlocker_info'),
      platform: 'windows',
    })
    p.teamA = await kit.createPolicy(admin, { name: 'Laptop disk', query: sql('disk') }, teamA)
    p.teamB = await kit.createPolicy(admin, { name: 'Server fw', query: sql('iptables') }, teamB)
    ubuntu = await kit.enroll('ubuntu_22.04', 'P-UBUNTU', 'policies-global')
    windows = await kit.enroll('windows_11', 'P-WINDOWS', 'policies-global')
    laptopA = await kit.enroll('ubuntu_22.04', 'P-LAPTOP-A', 'policies-team-a')
    serverB = await kit.enroll('ubuntu_22.04', 'P-SERVER-B', 'policies-team-b')
  })
  afterEach(() => t.close())

  it("asks each host the global policies and its team's, for its platform, and stores pass/fail/error", async () => {
    expect(await answerAll()).toEqual([
      [p.all, p.linux],
      [p.all, p.windows],
      [p.all, p.linux, p.teamA],
      [p.all, p.linux, p.teamB],
    ])

    expect(await membershipOf(ubuntu)).toEqual([
      [p.all, 1],
      [p.linux, 0],
    ])
    expect(await membershipOf(windows)).toEqual([
      [p.all, 0],
      [p.windows, null],
    ])
    expect(await membershipOf(laptopA)).toEqual([
      [p.all, 1],
      [p.linux, 1],
      [p.teamA, 0],
    ])
    // Refresh times are written in batches, like seen times.
    await t.server.agents.refresh.flush()
    const host = asRecord((await get(`/hosts/${ubuntu.id}`)).host)
    expect(host.policy_updated_at).toBe(new Date(t.clock.ms).toISOString())
  })

  it('has nothing to ask on the next check-in, and runs no SQL for it', async () => {
    await answerAll()
    const before = t.database.queries.length
    const res = await t.request('POST', '/api/osquery/distributed/read', {
      body: { node_key: laptopA.nodeKey },
    })
    expect(res.json()).toEqual({ queries: {}, discovery: {} })
    expect(t.database.queries.slice(before)).toEqual([])
  })

  it('filters hosts by policy response, as Fleet does', async () => {
    await answerAll()
    expect(await hostnames(`policy_id=${p.all}&policy_response=passing`)).toEqual([
      'host-P-LAPTOP-A',
      'host-P-UBUNTU',
    ])
    expect(await hostnames(`policy_id=${p.all}&policy_response=failing`)).toEqual([
      'host-P-SERVER-B',
      'host-P-WINDOWS',
    ])
    // An errored result is neither passing nor failing; a policy id alone filters nothing.
    expect(await hostnames(`policy_id=${p.windows}&policy_response=failing`)).toEqual([])
    expect(await hostnames(`policy_id=${p.windows}`)).toHaveLength(4)
    expect(
      await hostnames(`policy_id=${p.linux}&policy_response=failing&team_id=${teamB}`),
    ).toEqual(['host-P-SERVER-B'])
    expect(await get(`/hosts/count?policy_id=${p.linux}&policy_response=failing`)).toEqual({
      count: 2,
    })
    const missing = await t.request('GET', `${FLEET_API}/hosts?policy_response=passing`, {
      token: admin,
    })
    expect(missing.statusCode).toBe(400)
    expect(missing.data().errors).toMatchObject([
      { name: 'policy_id', reason: expect.stringContaining('policy_response') },
    ])
    const bad = await t.request(
      'GET',
      `${FLEET_API}/hosts?policy_id=${p.all}&policy_response=maybe`,
      {
        token: admin,
      },
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.data().errors).toMatchObject([{ name: 'policy_response' }])
  })

  it("shows failing policies as host issues, and each host's policies with its responses", async () => {
    await answerAll()
    const issues = Object.fromEntries(
      ((await get('/hosts')).hosts as { hostname: string; issues: unknown }[]).map((h) => [
        h.hostname,
        h.issues,
      ]),
    )
    expect(issues).toEqual({
      'host-P-UBUNTU': {
        failing_policies_count: 1,
        critical_vulnerabilities_count: 0,
        total_issues_count: 1,
      },
      'host-P-WINDOWS': {
        failing_policies_count: 1,
        critical_vulnerabilities_count: 0,
        total_issues_count: 1,
      },
      'host-P-LAPTOP-A': {
        failing_policies_count: 1,
        critical_vulnerabilities_count: 0,
        total_issues_count: 1,
      },
      'host-P-SERVER-B': {
        failing_policies_count: 2,
        critical_vulnerabilities_count: 0,
        total_issues_count: 2,
      },
    })
    expect(await detailPolicies(laptopA)).toEqual([
      [p.all, 'pass'],
      [p.linux, 'pass'],
      [p.teamA, 'fail'],
    ])
    expect(await detailPolicies(windows)).toEqual([
      [p.all, 'fail'],
      [p.windows, ''],
    ])
    const detail = asRecord((await get(`/hosts/${ubuntu.id}`)).host)
    expect((detail.policies as unknown[])[1]).toMatchObject({
      id: p.linux,
      name: 'SSH hardened',
      resolution: 'Set PermitRootLogin no',
      platform: 'linux',
      team_id: null,
      critical: false,
      response: 'fail',
    })
    expect(asRecord((await get(`/hosts/${ubuntu.id}`)).host).issues).toMatchObject({
      failing_policies_count: 1,
    })
  })

  it('counts passing and failing hosts per policy, and per team for inherited policies', async () => {
    await answerAll()
    expect((await get('/policies')).policies).toMatchObject([
      { id: p.all, passing_host_count: 0, failing_host_count: 0, host_count_updated_at: null },
      { id: p.linux },
      { id: p.windows },
    ])
    await policyHostCountsJob(t.deps).run()
    const at = new Date(t.clock.ms).toISOString()
    expect((await get('/policies')).policies).toMatchObject([
      { id: p.all, passing_host_count: 2, failing_host_count: 2, host_count_updated_at: at },
      { id: p.linux, passing_host_count: 1, failing_host_count: 2 },
      { id: p.windows, passing_host_count: 0, failing_host_count: 0 },
    ])
    const team = await get(`/teams/${teamA}/policies`)
    expect(team.policies).toMatchObject([
      { id: p.teamA, passing_host_count: 0, failing_host_count: 1, host_count_updated_at: at },
    ])
    expect(team.inherited_policies).toMatchObject([
      { id: p.all, passing_host_count: 1, failing_host_count: 0 },
      { id: p.linux, passing_host_count: 1, failing_host_count: 0 },
      { id: p.windows, passing_host_count: 0, failing_host_count: 0 },
    ])
    expect(asRecord((await get(`/teams/${teamB}/policies/${p.teamB}`)).policy)).toMatchObject({
      passing_host_count: 1,
      failing_host_count: 0,
    })
  })

  it("serves the host's policies on its My device page and the failing count in the tray", async () => {
    await answerAll()
    const orbit = await t.request('POST', '/api/fleet/orbit/enroll', {
      body: {
        enroll_secret: 'policies-team-a',
        hardware_uuid: laptopA.uuid,
        hardware_serial: 'SERIAL-LAPTOP-A',
        hostname: 'host-P-LAPTOP-A',
        platform: 'ubuntu',
      },
    })
    expect(orbit.statusCode, orbit.body).toBe(200)
    const token = randomUUID()
    const registered = await t.request('POST', '/api/fleet/orbit/device_token', {
      body: { orbit_node_key: orbit.data().orbit_node_key, device_auth_token: token },
    })
    expect(registered.statusCode, registered.body).toBe(200)
    const policies = await t.request('GET', `${FLEET_API}/device/${token}/policies`)
    expect(policies.statusCode, policies.body).toBe(200)
    expect(policies.json()).toEqual({
      policies: [
        {
          id: p.all,
          name: 'osquery runs',
          query: 'SELECT 1 FROM osquery_info;',
          description: '',
          resolution: '',
          platform: '',
          critical: false,
          response: 'pass',
        },
        expect.objectContaining({ id: p.linux, response: 'pass' }),
        expect.objectContaining({ id: p.teamA, name: 'Laptop disk', response: 'fail' }),
      ],
    })
    const desktop = await t.request('GET', `${FLEET_API}/device/${token}/desktop`)
    expect(desktop.data().failing_policies_count).toBe(1)
    const device = await t.request('GET', `${FLEET_API}/device/${token}`)
    expect(device.data().host).toMatchObject({
      issues: { failing_policies_count: 1, total_issues_count: 1 },
    })
  })

  it('asks a new or changed policy on the next check-in, and everything when due or refetched', async () => {
    await answerAll()
    t.clock.advance(1000)
    const fresh = await kit.createPolicy(admin, { name: 'New one', query: 'SELECT 1;' })
    expect(await kit.checkIn(ubuntu, { [fresh]: 'pass' })).toEqual([fresh])
    expect(await kit.checkIn(windows, { [fresh]: 'fail' })).toEqual([fresh])

    // A new query clears the policy's results; hosts answer it again on their next check-in.
    t.clock.advance(1000)
    const changed = await t.request('PATCH', `${FLEET_API}/policies/${p.linux}`, {
      token: admin,
      body: { query: 'SELECT 1 FROM sshd WHERE permit_root_login = "no";' },
    })
    expect(changed.statusCode).toBe(200)
    expect(asRecord(changed.data().policy).host_count_updated_at).toBeNull()
    expect(await detailPolicies(ubuntu)).toContainEqual([p.linux, ''])
    expect(await kit.checkIn(ubuntu, { [p.linux]: 'pass' })).toEqual([p.linux])
    expect(await detailPolicies(ubuntu)).toContainEqual([p.linux, 'pass'])

    const refetch = await t.request('POST', `${FLEET_API}/hosts/${ubuntu.id}/refetch`, {
      token: admin,
    })
    expect(refetch.statusCode).toBe(200)
    expect(
      await kit.checkIn(ubuntu, { [p.all]: 'pass', [p.linux]: 'pass', [fresh]: 'pass' }),
    ).toEqual([p.all, p.linux, fresh])
    expect(await kit.checkIn(windows)).toEqual([])
    t.clock.advance(2 * HOUR)
    expect(await kit.checkIn(windows, { [p.all]: 'fail', [p.windows]: 'pass' })).toEqual([
      p.all,
      p.windows,
      fresh,
    ])
    expect(await detailPolicies(windows)).toEqual([
      [p.all, 'fail'],
      [p.windows, 'pass'],
      [fresh, 'fail'],
    ])

    const deleted = await t.request('POST', `${FLEET_API}/policies/delete`, {
      token: admin,
      body: { ids: [fresh] },
    })
    expect(deleted.json()).toEqual({ deleted: 1 })
    t.clock.advance(2 * HOUR)
    expect(await kit.checkIn(ubuntu)).toEqual([p.all, p.linux])
    expect((await membershipOf(ubuntu)).map(([id]) => id)).not.toContain(fresh)
  })

  it("stops counting a team's policy for a host that left the team", async () => {
    await answerAll()
    const moved = await t.request('POST', `${FLEET_API}/hosts/transfer`, {
      token: admin,
      body: { team_id: teamB, hosts: [laptopA.id] },
    })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(await hostnames(`policy_id=${p.teamA}&policy_response=failing`)).toEqual([])
    const laptop = asRecord((await get(`/hosts/${laptopA.id}`)).host)
    expect(laptop.issues).toMatchObject({ failing_policies_count: 0 })
    expect((laptop.policies as { id: number }[]).map((policy) => policy.id)).toEqual([
      p.all,
      p.linux,
      p.teamB,
    ])
    const summary = await policyHostCountsJob(t.deps).run()
    expect(summary).toMatchObject({ staleResultsRemoved: 1 })
    expect((await membershipOf(laptopA)).map(([id]) => id)).toEqual([p.all, p.linux])
    t.clock.advance(2 * HOUR)
    expect(await kit.checkIn(laptopA, { [p.teamB]: 'pass' })).toEqual([p.all, p.linux, p.teamB])
  })
})
