import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { capturingLogger } from '../../test-utils/capturing-logger.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'

const FLEET = '/api/latest/fleet'
const SECRET = 'device-global-secret'
const TEAM_SECRET = 'device-team-secret'

describe.each(DIALECTS)('device (Fleet Desktop) API [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamId: number
  /** Host A: enrolled by orbit and osquery, on the team. Host B: orbit only, no team. */
  const a = { uuid: 'DEVICE-A', orbitKey: '', token: '', id: 0 }
  const b = { uuid: 'DEVICE-B', orbitKey: '', token: '', id: 0 }

  const post = (path: string, body: unknown) => t.request('POST', path, { body })
  const enrollOrbit = async (uuid: string, secret: string) => {
    const res = await post('/api/fleet/orbit/enroll', {
      enroll_secret: secret,
      hardware_uuid: uuid,
      hardware_serial: `SERIAL-${uuid}`,
      hostname: `host-${uuid}`,
      platform: 'ubuntu',
      computer_name: '',
      hardware_model: 'ThinkPad',
    })
    expect(res.statusCode, res.body).toBe(200)
    return String(res.data().orbit_node_key)
  }
  const setToken = (orbitKey: string, token: unknown) =>
    post('/api/fleet/orbit/device_token', { orbit_node_key: orbitKey, device_auth_token: token })
  const registerToken = async (host: typeof a) => {
    host.token = randomUUID()
    const res = await setToken(host.orbitKey, host.token)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({})
    return host.token
  }
  const myDevice = (token: string, prefix = FLEET) => t.request('GET', `${prefix}/device/${token}`)
  const hostIdOf = async (uuid: string) =>
    (
      await t.deps.db
        .selectFrom('hosts')
        .select('id')
        .where('uuid', '=', uuid)
        .executeTakeFirstOrThrow()
    ).id
  /** Every device endpoint, as [method, path] for a token. */
  const endpoints = (token: string): ['GET' | 'POST' | 'HEAD', string][] => [
    ['GET', `${FLEET}/device/${token}`],
    ['GET', `${FLEET}/device/${token}/desktop`],
    ['GET', `${FLEET}/device/${token}/policies`],
    ['POST', `${FLEET}/device/${token}/refetch`],
    ['GET', `${FLEET}/device/${token}/api_features`],
    ['GET', `${FLEET}/device/${token}/transparency`],
    ['HEAD', `${FLEET}/device/${token}/ping`],
    ['GET', `${FLEET}/device/${token}/device_mapping`],
    ['GET', `${FLEET}/device/${token}/macadmins`],
    ['GET', `${FLEET}/device/${token}/software`],
    ['POST', `${FLEET}/device/${token}/debug/errors`],
  ]

  const logs = capturingLogger('warn')
  beforeAll(async () => {
    t = await startTestServer(dialect, { log: logs.log })
    admin = await t.setupAdmin()
    await t.request('POST', `${FLEET}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: SECRET }] } },
    })
    const team = await t.request('POST', `${FLEET}/teams`, {
      token: admin,
      body: { name: 'Laptops', secrets: [{ secret: TEAM_SECRET }] },
    })
    teamId = Number(asRecord(team.data().team).id)
    a.orbitKey = await enrollOrbit(a.uuid, TEAM_SECRET)
    const osquery = await post(
      '/api/osquery/enroll',
      fixtureBlock('ubuntu_22.04', 'enroll', {
        uuid: a.uuid,
        hostname: 'alice-laptop',
        enrollSecret: TEAM_SECRET,
      }),
    )
    expect(osquery.statusCode).toBe(200)
    b.orbitKey = await enrollOrbit(b.uuid, SECRET)
    a.id = await hostIdOf(a.uuid)
    b.id = await hostIdOf(b.uuid)
    const label = await t.request('POST', `${FLEET}/labels`, {
      token: admin,
      body: { name: 'Engineering', label_membership_type: 'manual', host_ids: [a.id] },
    })
    expect(label.statusCode, label.body).toBe(200)
    await registerToken(a)
    await registerToken(b)
  })
  afterAll(() => t.close())

  it("serves the My device page of the token's host, and only that host", async () => {
    const res = await myDevice(a.token)
    expect(res.statusCode, res.body).toBe(200)
    const body = res.data()
    expect(body).toMatchObject({
      org_logo_url: '',
      license: {
        tier: 'premium',
        organization: 'Acme',
        expiration: '9999-12-31T23:59:59Z',
        note: expect.any(String),
      },
      global_config: { mdm: { enabled_and_configured: false } },
      self_service: false,
    })
    const host = asRecord(body.host)
    expect(host).toMatchObject({
      id: a.id,
      hostname: 'alice-laptop',
      uuid: a.uuid,
      platform: 'ubuntu',
      os_version: 'Ubuntu 22.4.0',
      osquery_version: '4.6.0',
      hardware_serial: 'D02R835DG8WK',
      memory: 17179869184,
      cpu_brand: 'Intel(R) Core(TM) i7-4770HQ CPU @ 2.20GHz',
      team_id: teamId,
      team_name: 'Laptops',
      users: [],
      labels: [expect.objectContaining({ name: 'Engineering', label_membership_type: 'manual' })],
      dep_assigned_to_fleet: false,
    })
    for (const key of ['uptime', 'gigs_disk_space_available', 'status', 'cpu_logical_cores']) {
      expect(host).toHaveProperty(key)
    }
    const other = asRecord((await myDevice(b.token)).data().host)
    expect(other).toMatchObject({ id: b.id, hostname: 'host-DEVICE-B', team_id: null, labels: [] })
    expect(JSON.stringify(other)).not.toContain('alice-laptop')
  })

  it('serves the tray data, policies and API features', async () => {
    const desktop = await t.request('GET', `${FLEET}/device/${a.token}/desktop`)
    expect(desktop.statusCode).toBe(200)
    expect(desktop.json()).toEqual({
      failing_policies_count: 0,
      self_service: false,
      notifications: { needs_mdm_migration: false, renew_enrollment_profile: false },
      config: {
        org_info: {
          org_name: 'Acme',
          org_logo_url: '',
          org_logo_url_light_background: '',
          contact_url: expect.any(String),
        },
        mdm: { macos_migration: { mode: '' } },
      },
    })
    const policies = await t.request('GET', `${FLEET}/device/${a.token}/policies`)
    expect(policies.json()).toEqual({ policies: [] })
    const features = await t.request('GET', `${FLEET}/device/${a.token}/api_features`)
    expect(features.json()).toEqual({ features: {} })
    const ping = await t.request('HEAD', `${FLEET}/device/${a.token}/ping`)
    expect(ping.statusCode).toBe(200)
  })

  it("serves the host's device mapping, Munki/MDM data and software in Fleet's shapes", async () => {
    const mapping = await t.request('GET', `${FLEET}/device/${a.token}/device_mapping`)
    expect(mapping.statusCode, mapping.body).toBe(200)
    expect(mapping.json()).toEqual({ host_id: a.id, device_mapping: [] })
    const other = await t.request('GET', `/api/v1/fleet/device/${b.token}/device_mapping`)
    expect(other.json()).toEqual({ host_id: b.id, device_mapping: [] })
    const macadmins = await t.request('GET', `${FLEET}/device/${a.token}/macadmins`)
    expect(macadmins.statusCode).toBe(200)
    expect(macadmins.json()).toEqual({ macadmins: null })
    const software = await t.request(
      'GET',
      `${FLEET}/device/${a.token}/software?self_service=true&page=0&per_page=20&query=chrome`,
    )
    expect(software.statusCode, software.body).toBe(200)
    expect(software.json()).toEqual({
      software: [],
      count: 0,
      meta: { has_next_results: false, has_previous_results: false },
    })
    const badPage = await t.request('GET', `${FLEET}/device/${a.token}/software?page=-1`)
    expect(badPage.statusCode).toBe(400)
  })

  it('logs the errors fleetd reports, tagged with the host, and refuses malformed reports', async () => {
    const report = {
      error_source: 'orbit',
      error_source_version: '1.38.0',
      error_timestamp: '2026-12-07T10:00:00Z',
      error_message: 'osqueryd exited: signal: killed',
      error_additional_info: { restarts: 3 },
      vital: true,
      future_field: 'ignored',
    }
    const res = await post(`${FLEET}/device/${a.token}/debug/errors`, report)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({})
    const logged = logs.lines.find((line) => line.msg === 'fleetd error')
    expect(logged).toMatchObject({
      hostId: a.id,
      fleetdError: { error_source: 'orbit', error_message: 'osqueryd exited: signal: killed' },
    })
    const empty = await t.request('POST', `${FLEET}/device/${a.token}/debug/errors`)
    expect(empty.statusCode).toBe(200)
    const bad = await post(`${FLEET}/device/${a.token}/debug/errors`, { vital: 'yes' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ errors: [{ name: 'vital' }] })
  })

  it("redirects to Fleet's transparency page, or the organization's own", async () => {
    const res = await t.request('GET', `${FLEET}/device/${a.token}/transparency`)
    expect(res.statusCode).toBe(307)
    expect(res.headers.location).toBe('https://fleetdm.com/transparency')
    await t.request('PATCH', `${FLEET}/config`, {
      token: admin,
      body: { fleet_desktop: { transparency_url: 'https://example.com/privacy' } },
    })
    const custom = await t.request('GET', `/api/v1/fleet/device/${a.token}/transparency`)
    expect(custom.statusCode).toBe(307)
    expect(custom.headers.location).toBe('https://example.com/privacy')
    await t.request('PATCH', `${FLEET}/config`, {
      token: admin,
      body: { fleet_desktop: { transparency_url: '' } },
    })
  })

  it("refetch flags the token's host only, as the REST refetch does", async () => {
    await t.deps.db.updateTable('hosts').set({ refetch_requested: 0 }).execute()
    const res = await t.request('POST', `${FLEET}/device/${b.token}/refetch`)
    expect(res.statusCode).toBe(200)
    const flags = await t.deps.db
      .selectFrom('hosts')
      .select(['id', 'refetch_requested'])
      .where('id', 'in', [a.id, b.id])
      .execute()
    expect(new Map(flags.map((f) => [f.id, f.refetch_requested]))).toEqual(
      new Map([
        [a.id, 0],
        [b.id, 1],
      ]),
    )
    const rest = await t.request('GET', `${FLEET}/hosts/${b.id}`, { token: admin })
    expect(asRecord(rest.data().host).refetch_requested).toBe(true)
  })

  it('refuses unknown tokens with 401, whether or not they look like a UUID (as Fleet)', async () => {
    for (const token of [randomUUID(), 'not-a-uuid', 'x'.repeat(300)]) {
      for (const [method, path] of endpoints(token)) {
        const res = await t.request(method, path)
        expect(res.statusCode, `${method} ${path}`).toBe(401)
        if (method !== 'HEAD') {
          expect(res.json()).toMatchObject({ code: 'AUTH_REQUIRED', errors: [{ name: 'base' }] })
        }
      }
    }
    // A user's session is no device token, and doesn't stand in for one.
    const session = await t.request('GET', `${FLEET}/device/${randomUUID()}`, { token: admin })
    expect(session.statusCode).toBe(401)
  })

  it('rotation: the previous token stops working, the new one works', async () => {
    const old = a.token
    await registerToken(a)
    expect((await myDevice(old)).statusCode).toBe(401)
    expect((await myDevice(a.token)).statusCode).toBe(200)
    expect((await myDevice(a.token, '/api/v1/fleet')).statusCode).toBe(200)
  })

  it('refuses a token an hour after it was registered, even if orbit sends it again', async () => {
    await registerToken(a)
    t.clock.advance(59 * 60_000)
    expect((await myDevice(a.token)).statusCode).toBe(200)
    expect((await setToken(a.orbitKey, a.token)).statusCode).toBe(200)
    t.clock.advance(2 * 60_000)
    expect((await myDevice(a.token)).statusCode).toBe(401)
    await registerToken(a)
    expect((await myDevice(a.token)).statusCode).toBe(200)
  })

  it("refuses another host's token (409) and malformed tokens (400) at registration", async () => {
    await registerToken(b)
    const taken = await setToken(b.orbitKey, a.token)
    expect(taken.statusCode).toBe(409)
    expect(asRecord((await myDevice(a.token)).data().host).id).toBe(a.id)
    expect(asRecord((await myDevice(b.token)).data().host).id).toBe(b.id)
    for (const bad of ['nope', '5f8e4d1c-2b3a-1c4d-8e9f-0a1b2c3d4e5f', 42]) {
      const res = await setToken(b.orbitKey, bad)
      expect(res.statusCode, String(bad)).toBe(400)
      expect(res.json()).toMatchObject({ errors: [{ name: 'device_auth_token' }] })
    }
    expect((await setToken('wrong-key', randomUUID())).statusCode).toBe(401)
  })

  it('stops answering a token once its host is deleted', async () => {
    const c = {
      uuid: 'DEVICE-C',
      orbitKey: await enrollOrbit('DEVICE-C', SECRET),
      token: '',
      id: 0,
    }
    c.id = await hostIdOf(c.uuid)
    await registerToken(c)
    expect((await myDevice(c.token)).statusCode).toBe(200)
    const deleted = await t.request('DELETE', `${FLEET}/hosts/${c.id}`, { token: admin })
    expect(deleted.statusCode).toBe(200)
    expect((await myDevice(c.token)).statusCode).toBe(401)
    const config = await post('/api/fleet/orbit/config', { orbit_node_key: c.orbitKey })
    expect(config.statusCode).toBe(401)
  })

  it('answers 429 after too many invalid tokens from one IP, refusing valid ones too until it passes', async () => {
    const from = (ip: string, token: string) =>
      t.server.app.inject({ method: 'GET', url: `${FLEET}/device/${token}`, remoteAddress: ip })
    await registerToken(b)
    for (let i = 0; i < 100; i += 1) {
      expect((await from('10.9.9.9', randomUUID())).statusCode).toBe(401)
    }
    const limited = await from('10.9.9.9', randomUUID())
    expect(limited.statusCode).toBe(429)
    expect(limited.headers['retry-after']).toBe('5')
    expect(limited.json()).toMatchObject({
      message: 'limit exceeded, retry after: 5s',
      code: 'RATE_LIMITED',
    })
    expect((await from('10.9.9.9', b.token)).statusCode).toBe(429)
    expect((await from('10.8.8.8', b.token)).statusCode).toBe(200)
    t.clock.advance(5_000)
    expect((await from('10.9.9.9', b.token)).statusCode).toBe(200)
  })
})
