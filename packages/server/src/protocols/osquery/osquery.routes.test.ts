import { gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { fixtureBlock, type FixtureHost } from '../../test-utils/osquery-fixtures.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'

const SECRET = 'global-enroll-secret'
const TEAM_SECRET = 'team-enroll-secret'

describe.each(DIALECTS)('osquery TLS API [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamId: number
  const ubuntu: FixtureHost = {
    uuid: 'A1B2C3D4-0000-0000-0000-000000000001',
    hostname: 'web-01',
    enrollSecret: SECRET,
  }

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    t.request('POST', path, { body, headers })
  const enroll = async (host: FixtureHost) => {
    const res = await post('/api/osquery/enroll', fixtureBlock('ubuntu_22.04', 'enroll', host))
    expect(res.statusCode).toBe(200)
    return String(res.data().node_key)
  }

  // Each test starts from its own server with a global and a team enroll secret, no host.
  beforeEach(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    await t.request('POST', '/api/latest/fleet/spec/enroll_secret', {
      token: admin,
      body: { spec: { secrets: [{ secret: SECRET }] } },
    })
    const team = await t.request('POST', '/api/latest/fleet/teams', {
      token: admin,
      body: { name: 'Servers', secrets: [{ secret: TEAM_SECRET }] },
    })
    teamId = Number(asRecord(team.data().team).id)
  })
  afterEach(() => t.close())

  it('refuses a wrong enroll secret with node_invalid', async () => {
    const res = await post('/api/osquery/enroll', {
      enroll_secret: '--invalid--',
      host_identifier: 'x',
    })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({
      error: 'enroll failed: invalid enroll secret',
      node_invalid: true,
    })
  })

  it('enrolls a host from the real enroll body and reads its vitals from host_details', async () => {
    const nodeKey = await enroll(ubuntu)
    expect(nodeKey.length).toBeGreaterThanOrEqual(24)
    const row = await t.deps.db.selectFrom('hosts').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      hostname: 'web-01',
      platform: 'ubuntu',
      uuid: ubuntu.uuid,
      osquery_version: '4.6.0',
      team_id: null,
      memory: 17179869184,
    })
    expect(row.cpu_brand).toBe('Intel(R) Core(TM) i7-4770HQ CPU @ 2.20GHz')
    expect(row.node_key_hash).not.toBe(nodeKey)
  })

  it('re-enrolling the same hardware uuid reuses the host and invalidates the old node key', async () => {
    const first = await enroll(ubuntu)
    const second = await enroll(ubuntu)
    const count = await t.deps.db
      .selectFrom('hosts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(1)
    const stale = await post('/api/osquery/distributed/read', { node_key: first })
    expect(stale.statusCode).toBe(401)
    expect(stale.json()).toMatchObject({ node_invalid: true })
    expect((await post('/api/v1/osquery/distributed/read', { node_key: second })).statusCode).toBe(
      200,
    )
  })

  it('answers unknown and missing node keys with node_invalid', async () => {
    for (const body of [{ node_key: 'nope' }, {}, { node_key: 42 }]) {
      const res = await post('/api/osquery/config', body)
      expect(res.statusCode).toBe(401)
      expect(res.data().node_invalid).toBe(true)
    }
  })

  it('sends detail queries with discovery, ingests the answers, then has nothing to do without SQL', async () => {
    const nodeKey = await enroll(ubuntu)
    const read = await post('/api/osquery/distributed/read', { node_key: nodeKey })
    expect(read.statusCode).toBe(200)
    const queries = asRecord(read.data().queries)
    const discovery = asRecord(read.data().discovery)
    expect(Object.keys(queries)).toEqual(
      expect.arrayContaining([
        'fleet_detail_query_os_version',
        'fleet_detail_query_system_info',
        'fleet_detail_query_users',
        'fleet_detail_query_network_interface_unix',
        'fleet_detail_query_disk_space_unix',
      ]),
    )
    expect(Object.keys(queries)).not.toContain('fleet_detail_query_disk_space_windows')
    expect(Object.keys(discovery).sort()).toEqual(Object.keys(queries).sort())
    expect(read.data().accelerate).toBeUndefined()

    const unanswered = Object.fromEntries(Object.keys(queries).map((name) => [name, []]))
    const write = await post('/api/osquery/distributed/write', {
      node_key: nodeKey,
      queries: {
        ...unanswered,
        fleet_detail_query_os_version: fixtureBlock(
          'ubuntu_22.04',
          'fleet_detail_query_os_version',
          ubuntu,
        ),
        fleet_detail_query_osquery_info: fixtureBlock(
          'ubuntu_22.04',
          'fleet_detail_query_osquery_info',
          ubuntu,
        ),
        fleet_detail_query_uptime: [
          { days: '0', hours: '4', minutes: '38', seconds: '11', total_seconds: '16691' },
        ],
        fleet_detail_query_network_interface_unix: [
          { address: '10.0.1.7', mac: '02:42:ac:11:00:02' },
        ],
        fleet_detail_query_disk_space_unix: [
          {
            percent_disk_space_available: '56',
            gigs_disk_space_available: '112.5',
            gigs_total_disk_space: '200.9',
          },
        ],
        fleet_detail_query_users: [
          { uid: '1000', username: 'alice', type: '', groupname: 'alice', shell: '/bin/bash' },
          { uid: 'x', username: 'broken' },
        ],
        fleet_detail_query_osquery_flags: [
          { name: 'distributed_interval', value: '10' },
          { name: 'config_tls_refresh', value: '60' },
          { name: 'logger_tls_period', value: '10' },
        ],
        fleet_detail_query_system_info: '',
      },
      statuses: { fleet_detail_query_system_info: 1 },
      messages: { fleet_detail_query_system_info: 'no such table: system_info' },
    })
    expect(write.statusCode).toBe(200)
    const row = await t.deps.db.selectFrom('hosts').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      os_version: 'Ubuntu 22.4.0',
      osquery_version: '4.1.2',
      uptime_seconds: 16691,
      primary_ip: '10.0.1.7',
      primary_mac: '02:42:ac:11:00:02',
      gigs_disk_space_available: 112.5,
      distributed_interval: 10,
      config_tls_refresh: 60,
      hostname: 'web-01',
    })
    expect(row.detail_updated_at).toBe(t.clock.ms)
    const users = await t.deps.db.selectFrom('host_users').selectAll().execute()
    expect(users).toEqual([
      {
        host_id: row.id,
        uid: 1000,
        username: 'alice',
        type: '',
        groupname: 'alice',
        shell: '/bin/bash',
      },
    ])

    const before = t.database.queries.length
    const empty = await post('/api/osquery/distributed/read', { node_key: nodeKey })
    expect(empty.json()).toEqual({ queries: {}, discovery: {} })
    expect(t.database.queries.slice(before)).toEqual([])

    t.clock.advance(2 * 3_600_000)
    const due = await post('/api/osquery/distributed/read', { node_key: nodeKey })
    expect(Object.keys(asRecord(due.data().queries)).length).toBeGreaterThan(5)
  })

  it('buffers check-in times and writes them in a batch', async () => {
    const nodeKey = await enroll(ubuntu)
    t.clock.advance(60_000)
    await post('/api/osquery/distributed/read', { node_key: nodeKey })
    await t.server.agents.seen.flush()
    const row = await t.deps.db.selectFrom('hosts').select('seen_time').executeTakeFirstOrThrow()
    expect(row.seen_time).toBe(Math.floor(t.clock.ms / 1000) * 1000)
  })

  it('ignores detail results that were not asked for', async () => {
    const nodeKey = await enroll(ubuntu)
    await post('/api/osquery/distributed/read', { node_key: nodeKey })
    await post('/api/osquery/distributed/write', {
      node_key: nodeKey,
      queries: { fleet_detail_query_osquery_info: [{ version: '5.0.0' }] },
      statuses: {},
    })
    const forged = await post('/api/osquery/distributed/write', {
      node_key: nodeKey,
      queries: {
        fleet_detail_query_osquery_info: [{ version: '9.9.9' }],
        fleet_label_query_999: [],
        made_up: [],
      },
      statuses: {},
    })
    expect(forged.statusCode).toBe(200)
    const row = await t.deps.db
      .selectFrom('hosts')
      .select('osquery_version')
      .executeTakeFirstOrThrow()
    expect(row.osquery_version).toBe('5.0.0')
  })

  it("serves the config from global agent options, and the team's for team hosts", async () => {
    const nodeKey = await enroll(ubuntu)
    const global = await post('/api/osquery/config', { node_key: nodeKey })
    expect(global.statusCode).toBe(200)
    expect(global.data()).toMatchObject({
      options: { distributed_interval: 10, logger_tls_endpoint: '/api/osquery/log' },
      decorators: { load: expect.any(Array) },
    })
    await t.request('POST', `/api/latest/fleet/teams/${teamId}/agent_options`, {
      token: admin,
      body: {
        config: { options: { distributed_interval: 30 } },
        overrides: { platforms: { windows: { options: { distributed_interval: 5 } } } },
      },
    })
    const teamHost = await post(
      '/api/osquery/enroll',
      fixtureBlock('ubuntu_22.04', 'enroll', {
        uuid: 'TEAM-HOST-0001',
        hostname: 'db-01',
        enrollSecret: TEAM_SECRET,
      }),
    )
    const teamKey = String(teamHost.data().node_key)
    const config = await post('/api/osquery/config', { node_key: teamKey })
    expect(config.json()).toEqual({ options: { distributed_interval: 30 } })
    const row = await t.deps.db
      .selectFrom('hosts')
      .select(['team_id', 'distributed_interval'])
      .where('uuid', '=', 'TEAM-HOST-0001')
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ team_id: teamId, distributed_interval: 30 })
    // A change to the team's options reaches the next config request.
    await t.request('POST', `/api/latest/fleet/teams/${teamId}/agent_options`, {
      token: admin,
      body: { config: { options: { distributed_interval: 45 } } },
    })
    expect((await post('/api/osquery/config', { node_key: teamKey })).json()).toEqual({
      options: { distributed_interval: 45 },
    })

    // The host still reports its old flag: what the config sets wins, what it doesn't is taken.
    const read = await post('/api/osquery/distributed/read', { node_key: teamKey })
    const unanswered = Object.fromEntries(
      Object.keys(asRecord(read.data().queries)).map((name) => [name, []]),
    )
    await post('/api/osquery/distributed/write', {
      node_key: teamKey,
      queries: {
        ...unanswered,
        fleet_detail_query_osquery_flags: [
          { name: 'distributed_interval', value: '10' },
          { name: 'config_tls_refresh', value: '120' },
        ],
      },
    })
    const flags = await t.deps.db
      .selectFrom('hosts')
      .select(['distributed_interval', 'config_tls_refresh'])
      .where('uuid', '=', 'TEAM-HOST-0001')
      .executeTakeFirstOrThrow()
    expect(flags).toEqual({ distributed_interval: 45, config_tls_refresh: 120 })
  })

  it("accepts gzip bodies and refuses malformed, mistyped or oversized ones in osquery's shape", async () => {
    const nodeKey = await enroll(ubuntu)
    const gz = await t.server.app.inject({
      method: 'POST',
      url: '/api/osquery/log',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(
        JSON.stringify({
          node_key: nodeKey,
          log_type: 'status',
          data: [{ severity: '0', message: 'hello' }],
        }),
      ),
    })
    expect(gz.statusCode).toBe(200)
    const bad = await t.request('POST', '/api/osquery/distributed/write', {
      rawBody: '{"node_key":',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({ error: 'invalid request body' })
    const wrongType = await post('/api/osquery/log', {
      node_key: nodeKey,
      log_type: 'nonsense',
      data: [],
    })
    expect(wrongType.statusCode).toBe(400)
    expect(String(wrongType.data().error)).toMatch(/log_type/)
    const huge = await post('/api/osquery/log', {
      node_key: nodeKey,
      log_type: 'result',
      data: ['x'.repeat(5 * 1024 * 1024)],
    })
    expect(huge.statusCode).toBe(413)
    const bomb = await t.server.app.inject({
      method: 'POST',
      url: '/api/osquery/log',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(
        JSON.stringify({
          node_key: nodeKey,
          log_type: 'result',
          data: ['y'.repeat(8 * 1024 * 1024)],
        }),
      ),
    })
    expect(bomb.statusCode).toBe(413)
    const corrupt = await t.server.app.inject({
      method: 'POST',
      url: '/api/osquery/log',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: Buffer.from('definitely not gzip'),
    })
    expect(corrupt.statusCode).toBe(400)
    expect(corrupt.json()).toEqual({ error: 'invalid request body' })
  })
})
