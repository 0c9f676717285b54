import { OrbitConfig } from '@fleet/api'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'

const FLEET = '/api/latest/fleet'
const SECRET = 'orbit-global-secret'
const TEAM_SECRET = 'orbit-team-secret'
const CAPABILITIES = 'orbit_endpoints,token_rotation'

describe.each(DIALECTS)('orbit API [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamId: number

  const post = (path: string, body: unknown) => t.request('POST', path, { body })
  const orbitBody = (uuid: string, overrides: Record<string, unknown> = {}) => ({
    enroll_secret: SECRET,
    hardware_uuid: uuid,
    hardware_serial: `SERIAL-${uuid}`,
    hostname: `orbit-${uuid}`,
    platform: 'ubuntu',
    platform_like: 'debian',
    osquery_identifier: '',
    computer_name: `Computer ${uuid}`,
    hardware_model: 'ThinkPad',
    ...overrides,
  })
  const enrollOrbit = async (uuid: string, overrides: Record<string, unknown> = {}) => {
    const res = await post('/api/fleet/orbit/enroll', orbitBody(uuid, overrides))
    expect(res.statusCode, res.body).toBe(200)
    return String(res.data().orbit_node_key)
  }
  const enrollOsquery = async (uuid: string, hostname: string, secret = SECRET) => {
    const res = await post(
      '/api/osquery/enroll',
      fixtureBlock('ubuntu_22.04', 'enroll', { uuid, hostname, enrollSecret: secret }),
    )
    expect(res.statusCode, res.body).toBe(200)
    return String(res.data().node_key)
  }
  const hostsWithUuid = (uuid: string) =>
    t.deps.db.selectFrom('hosts').selectAll().where('uuid', '=', uuid).execute()
  const orbitConfig = async (key: string) => {
    const res = await post('/api/fleet/orbit/config', { orbit_node_key: key })
    expect(res.statusCode, res.body).toBe(200)
    return OrbitConfig.parse(res.json())
  }

  beforeAll(async () => {
    t = await startTestServer(dialect)
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
  })
  afterAll(() => t.close())

  it("refuses a wrong enroll secret with 401 in Fleet's shape, creating nothing", async () => {
    const res = await post('/api/fleet/orbit/enroll', orbitBody('U-BAD', { enroll_secret: 'no' }))
    expect(res.statusCode).toBe(401)
    expect(res.json()).toMatchObject({
      message: 'Authentication failed',
      code: 'AUTH_FAILED',
      errors: [{ name: 'base', reason: 'Authentication failed' }],
    })
    expect(res.headers['x-fleet-capabilities']).toBe(CAPABILITIES)
    expect(await hostsWithUuid('U-BAD')).toEqual([])
  })

  it('answers bad enroll input with 400 naming the field', async () => {
    const missing = await post('/api/fleet/orbit/enroll', { enroll_secret: SECRET })
    expect(missing.statusCode).toBe(400)
    expect(missing.json()).toMatchObject({
      message: 'Bad request',
      errors: [{ name: 'hardware_uuid' }],
    })
    const wrongType = await post('/api/fleet/orbit/enroll', orbitBody('U-X', { hostname: 7 }))
    expect(wrongType.statusCode).toBe(400)
    expect(wrongType.json()).toMatchObject({ errors: [{ name: 'hostname' }] })
    const malformed = await t.request('POST', '/api/fleet/orbit/enroll', {
      rawBody: '{"enroll_secret": ',
    })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json()).toMatchObject({ code: 'MALFORMED_JSON', errors: [{ name: 'body' }] })
    expect(malformed.headers['x-fleet-capabilities']).toBe(CAPABILITIES)
  })

  it('creates the host, stores the node key hashed, and records fleet_enrolled', async () => {
    const key = await enrollOrbit('U-NEW')
    expect(key.length).toBeGreaterThanOrEqual(24)
    const [host, ...more] = await hostsWithUuid('U-NEW')
    expect(more).toEqual([])
    expect(host).toMatchObject({
      hostname: 'orbit-U-NEW',
      computer_name: 'Computer U-NEW',
      hardware_serial: 'SERIAL-U-NEW',
      hardware_model: 'ThinkPad',
      platform: 'ubuntu',
      platform_like: 'debian',
      osquery_host_id: 'U-NEW',
      team_id: null,
      refetch_requested: 1,
      node_key_hash: null,
    })
    const info = await t.deps.db
      .selectFrom('host_orbit_info')
      .selectAll()
      .where('host_id', '=', host?.id ?? 0)
      .executeTakeFirstOrThrow()
    expect(info.node_key_hash).toBe(createHash('sha256').update(key).digest('hex'))
    expect(Number(info.enrolled_at)).toBe(t.clock.ms)
    const activities = await t.request('GET', `${FLEET}/activities?activity_type=fleet_enrolled`, {
      token: admin,
    })
    expect(activities.data().activities).toContainEqual(
      expect.objectContaining({
        type: 'fleet_enrolled',
        actor_id: null,
        details: { host_serial: 'SERIAL-U-NEW', host_display_name: 'Computer U-NEW' },
      }),
    )
  })

  it('orbit then osquery from the same hardware UUID make one host', async () => {
    const orbitKey = await enrollOrbit('U-ORBIT-FIRST')
    const nodeKey = await enrollOsquery('U-ORBIT-FIRST', 'from-osquery')
    const hosts = await hostsWithUuid('U-ORBIT-FIRST')
    expect(hosts.map((h) => h.hostname)).toEqual(['from-osquery'])
    expect(hosts[0]?.node_key_hash).not.toBeNull()
    await orbitConfig(orbitKey)
    const read = await post('/api/osquery/distributed/read', { node_key: nodeKey })
    expect(read.statusCode).toBe(200)
  })

  it("osquery then orbit make one host; orbit fills only blanks and keeps osquery's key", async () => {
    const nodeKey = await enrollOsquery('U-OSQ-FIRST', 'osquery-name')
    const before = await hostsWithUuid('U-OSQ-FIRST')
    const orbitKey = await enrollOrbit('U-OSQ-FIRST', { hostname: 'orbit-name' })
    const hosts = await hostsWithUuid('U-OSQ-FIRST')
    expect(hosts.map((h) => h.id)).toEqual(before.map((h) => h.id))
    expect(hosts[0]).toMatchObject({
      hostname: 'osquery-name',
      hardware_serial: before[0]?.hardware_serial,
      node_key_hash: before[0]?.node_key_hash,
    })
    expect((await post('/api/osquery/distributed/read', { node_key: nodeKey })).statusCode).toBe(
      200,
    )
    await orbitConfig(orbitKey)
  })

  it('finds the osquery host by osquery identifier when the hardware UUID is unknown', async () => {
    const res = await post('/api/osquery/enroll', {
      enroll_secret: SECRET,
      host_identifier: 'instance-42',
    })
    expect(res.statusCode).toBe(200)
    const count = async () =>
      Number(
        (
          await t.deps.db
            .selectFrom('hosts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    await enrollOrbit('U-INSTANCE', { osquery_identifier: 'instance-42' })
    expect(await count()).toBe(before)
    const [host] = await hostsWithUuid('U-INSTANCE')
    expect(host?.osquery_host_id).toBe('instance-42')
  })

  it('puts the host in the team of a team secret; re-enrolling replaces the node key', async () => {
    const first = await enrollOrbit('U-TEAM')
    expect((await hostsWithUuid('U-TEAM'))[0]?.team_id).toBeNull()
    const second = await enrollOrbit('U-TEAM', { enroll_secret: TEAM_SECRET })
    expect((await hostsWithUuid('U-TEAM'))[0]?.team_id).toBe(teamId)
    const stale = await post('/api/fleet/orbit/config', { orbit_node_key: first })
    expect(stale.statusCode).toBe(401)
    await orbitConfig(second)
  })

  it('refuses orbit-authenticated calls without a valid node key (401) or with wrong types (400)', async () => {
    for (const path of ['/api/fleet/orbit/config', '/api/fleet/orbit/device_token']) {
      const missing = await post(path, {})
      expect(missing.statusCode).toBe(401)
      expect(missing.json()).toMatchObject({
        code: 'AUTH_REQUIRED',
        errors: [{ name: 'base', reason: 'authentication error: missing orbit node key' }],
      })
      expect(missing.headers['x-fleet-capabilities']).toBe(CAPABILITIES)
      const invalid = await post(path, { orbit_node_key: 'not-a-key' })
      expect(invalid.statusCode).toBe(401)
      expect(invalid.json()).toMatchObject({
        errors: [{ reason: 'authentication error: invalid orbit node key' }],
      })
      const wrongType = await post(path, { orbit_node_key: 42 })
      expect(wrongType.statusCode).toBe(400)
      expect(wrongType.json()).toMatchObject({ errors: [{ name: 'orbit_node_key' }] })
    }
  })

  it("serves the global agent options to hosts without a team and the team's to team hosts", async () => {
    const patched = await t.request('PATCH', `${FLEET}/config`, {
      token: admin,
      body: {
        agent_options: {
          config: { options: { distributed_interval: 10 } },
          command_line_flags: { verbose: true },
          extensions: { hello_world_linux: { channel: 'stable', platform: 'linux' } },
          update_channels: { orbit: 'edge' },
          script_execution_timeout: 600,
        },
      },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    const teamOptions = await t.request('POST', `${FLEET}/teams/${teamId}/agent_options`, {
      token: admin,
      body: { config: { options: { distributed_interval: 20 } } },
    })
    expect(teamOptions.statusCode, teamOptions.body).toBe(200)

    const global = await orbitConfig(await enrollOrbit('U-CONFIG-GLOBAL'))
    expect(global).toEqual({
      script_execution_timeout: 600,
      command_line_startup_flags: { verbose: true },
      extensions: { hello_world_linux: { channel: 'stable', platform: 'linux' } },
      nudge_config: null,
      notifications: {
        renew_enrollment_profile: false,
        rotate_disk_encryption_key: false,
        needs_mdm_migration: false,
        needs_programmatic_windows_mdm_enrollment: false,
        windows_mdm_discovery_endpoint: '',
        needs_programmatic_windows_mdm_unenrollment: false,
        pending_script_execution_ids: [],
        enforce_bitlocker_encryption: false,
        pending_software_installer_ids: [],
        run_setup_experience: false,
        run_disk_encryption_escrow: false,
      },
      update_channels: { orbit: 'edge', osqueryd: '', desktop: '' },
    })

    const team = await orbitConfig(
      await enrollOrbit('U-CONFIG-TEAM', { enroll_secret: TEAM_SECRET }),
    )
    expect(team).toMatchObject({ script_execution_timeout: 300 })
    // The team's options set no channels: orbit keeps the ones it was installed with.
    expect(team).not.toHaveProperty('update_channels')
    expect(team).not.toHaveProperty('command_line_startup_flags')
    expect(team).not.toHaveProperty('extensions')

    await t.request('POST', `${FLEET}/teams/${teamId}/agent_options`, {
      token: admin,
      body: { command_line_flags: { verbose: false }, update_channels: { desktop: '1.2.3' } },
    })
    expect(
      await orbitConfig(await enrollOrbit('U-CONFIG-TEAM', { enroll_secret: TEAM_SECRET })),
    ).toMatchObject({
      command_line_startup_flags: { verbose: false },
      update_channels: { orbit: '', osqueryd: '', desktop: '1.2.3' },
    })
  })

  it('sends label-targeted extensions only to hosts in every one of the labels', async () => {
    const inLabel = await enrollOrbit('U-EXT-IN')
    const outside = await enrollOrbit('U-EXT-OUT')
    const [host] = await hostsWithUuid('U-EXT-IN')
    const label = await t.request('POST', `${FLEET}/labels`, {
      token: admin,
      body: { name: 'Engineering', label_membership_type: 'manual', host_ids: [host?.id] },
    })
    expect(label.statusCode, label.body).toBe(200)
    await t.request('PATCH', `${FLEET}/config`, {
      token: admin,
      body: {
        agent_options: {
          extensions: {
            everyone: { channel: 'stable', platform: 'linux' },
            engineers: { channel: 'stable', platform: 'linux', labels: ['Engineering'] },
          },
        },
      },
    })
    expect((await orbitConfig(inLabel)).extensions).toEqual({
      everyone: { channel: 'stable', platform: 'linux' },
      engineers: { channel: 'stable', platform: 'linux' },
    })
    expect((await orbitConfig(outside)).extensions).toEqual({
      everyone: { channel: 'stable', platform: 'linux' },
    })
  })

  it('records the last orbit check-in time (buffered)', async () => {
    const key = await enrollOrbit('U-CHECKIN')
    const [host] = await hostsWithUuid('U-CHECKIN')
    t.clock.advance(90_000)
    await orbitConfig(key)
    await t.server.orbit.checkins.flush()
    const info = await t.deps.db
      .selectFrom('host_orbit_info')
      .select('last_checkin_at')
      .where('host_id', '=', host?.id ?? 0)
      .executeTakeFirstOrThrow()
    expect(Number(info.last_checkin_at)).toBe(Math.floor(t.clock.ms / 1000) * 1000)
  })

  it('answers the orbit and device pings unauthenticated, with capabilities', async () => {
    for (const path of ['/api/fleet/orbit/ping', '/api/v1/fleet/orbit/ping']) {
      const ping = await t.request('HEAD', path)
      expect(ping.statusCode).toBe(200)
      expect(ping.headers['x-fleet-capabilities']).toBe(CAPABILITIES)
    }
    const device = await t.request('HEAD', '/api/fleet/device/ping')
    expect(device.statusCode).toBe(200)
    expect(device.headers).toHaveProperty('x-fleet-capabilities')
  })

  it('serves the same API under /api/v1/fleet/orbit', async () => {
    const res = await post('/api/v1/fleet/orbit/enroll', orbitBody('U-V1'))
    expect(res.statusCode).toBe(200)
    const config = await post('/api/v1/fleet/orbit/config', {
      orbit_node_key: res.data().orbit_node_key,
    })
    expect(config.statusCode).toBe(200)
  })
})
