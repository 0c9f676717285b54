import { randomUUID } from 'node:crypto'
import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildHost, buildLabel, buildTeam } from '../../test-utils/factories.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'

const SECRET = 'detail-global-secret'
const UUID = 'DETAIL-UUID-1'
const ORBIT_INFO = 'fleet_detail_query_orbit_info'

/** Fleet's host detail fields: orbit's versions from its orbit_info table, labels, empty inventory. */
describe.each(DIALECTS)('host detail [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let nodeKey: string
  let orbitKey: string
  let hostId: number

  const post = (path: string, body: unknown) => t.request('POST', path, { body })
  const detail = async (path: string, token = admin) => {
    const res = await t.request('GET', `${FLEET_API}${path}`, { token })
    expect(res.statusCode, res.body).toBe(200)
    return asRecord(res.data().host)
  }

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: SECRET }] } },
    })
    const enrolled = await post(
      '/api/osquery/enroll',
      fixtureBlock('ubuntu_22.04', 'enroll', {
        uuid: UUID,
        hostname: 'detail-host',
        enrollSecret: SECRET,
      }),
    )
    nodeKey = String(enrolled.data().node_key)
    const orbit = await post('/api/fleet/orbit/enroll', {
      enroll_secret: SECRET,
      hardware_uuid: UUID,
      hardware_serial: 'SERIAL-DETAIL',
      hostname: 'detail-host',
      platform: 'ubuntu',
      computer_name: '',
      hardware_model: 'ThinkPad',
    })
    expect(orbit.statusCode, orbit.body).toBe(200)
    orbitKey = String(orbit.data().orbit_node_key)
    hostId = (
      await t.deps.db
        .selectFrom('hosts')
        .select('id')
        .where('uuid', '=', UUID)
        .executeTakeFirstOrThrow()
    ).id
  })
  afterAll(() => t.close())

  it("asks hosts for orbit_info as Fleet does (only where the table exists), and shows orbit's versions", async () => {
    const read = await post('/api/osquery/distributed/read', { node_key: nodeKey })
    expect(asRecord(read.data().queries)[ORBIT_INFO]).toBe('SELECT * FROM orbit_info')
    expect(asRecord(read.data().discovery)[ORBIT_INFO]).toMatch(/osquery_registry.*'orbit_info'/)
    const before = await detail(`/hosts/${hostId}`)
    expect(before).toMatchObject({
      orbit_version: null,
      fleet_desktop_version: null,
      scripts_enabled: null,
    })
    const write = await post('/api/osquery/distributed/write', {
      node_key: nodeKey,
      queries: {
        [ORBIT_INFO]: [
          {
            version: '1.40.0',
            desktop_version: '1.39.2',
            scripts_enabled: '0',
            device_auth_token: 'never-stored',
          },
        ],
      },
      statuses: { [ORBIT_INFO]: 0 },
    })
    expect(write.statusCode, write.body).toBe(200)
    for (const path of [`/hosts/${hostId}`, `/hosts/identifier/${UUID}`]) {
      expect(await detail(path)).toMatchObject({
        orbit_version: '1.40.0',
        fleet_desktop_version: '1.39.2',
        scripts_enabled: false,
      })
    }
  })

  it('shows the same on the My device page', async () => {
    const token = randomUUID()
    const set = await post('/api/fleet/orbit/device_token', {
      orbit_node_key: orbitKey,
      device_auth_token: token,
    })
    expect(set.statusCode, set.body).toBe(200)
    const res = await t.request('GET', `${FLEET_API}/device/${token}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(asRecord(res.data().host)).toMatchObject({
      orbit_version: '1.40.0',
      fleet_desktop_version: '1.39.2',
      scripts_enabled: false,
      software: [],
      mdm: { enrollment_status: null },
    })
  })

  it("has Fleet's fields for a host without orbit, software, packs, batteries or MDM", async () => {
    const host = await buildHost(t.deps.db, { now: t.clock.ms })
    const label = await buildLabel(t.deps.db, { name: 'Detail members', membershipType: 'manual' })
    await t.deps.db
      .insertInto('label_membership')
      .values({ label_id: label.id, host_id: host.id, updated_at: t.clock.ms })
      .execute()
    const json = await detail(`/hosts/${host.id}`)
    expect(json).toMatchObject({
      orbit_version: null,
      fleet_desktop_version: null,
      scripts_enabled: null,
      disk_encryption_enabled: null,
      maintenance_window: null,
      software: [],
      packs: [],
      pack_stats: [],
      batteries: [],
      policies: [],
      mdm: {
        encryption_key_available: false,
        enrollment_status: null,
        name: '',
        server_url: null,
      },
      software_updated_at: json.created_at,
      labels: [
        {
          id: label.id,
          name: 'Detail members',
          label_type: 'regular',
          label_membership_type: 'manual',
          description: label.description,
          query: label.query,
          platform: '',
          created_at: expect.any(String),
          updated_at: expect.any(String),
        },
      ],
    })
    expect(await detail(`/hosts/identifier/${host.uuid}`)).toMatchObject({
      labels: [expect.objectContaining({ name: 'Detail members' })],
      orbit_version: null,
    })
  })

  it("refuses another team's user, and a missing host is 404", async () => {
    const team = await buildTeam(t.deps.db)
    const user = await t.createUser(admin, {
      email: 'detail-team-observer@example.com',
      teams: [{ id: team.id, role: 'observer' }],
    })
    const res = await t.request('GET', `${FLEET_API}/hosts/${hostId}`, { token: user.token })
    expect(res.statusCode).toBe(403)
    const byIdentifier = await t.request('GET', `${FLEET_API}/hosts/identifier/${UUID}`, {
      token: user.token,
    })
    expect(byIdentifier.statusCode).toBe(403)
    const missing = await t.request('GET', `${FLEET_API}/hosts/999999`, { token: admin })
    expect(missing.statusCode).toBe(404)
  })
})
