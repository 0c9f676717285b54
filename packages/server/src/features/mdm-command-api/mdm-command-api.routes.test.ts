import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { enrollFixtureHost, secretAndTeam } from '../../test-utils/hosts-setup.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { saveTokenUpdate } from '../mdm-commands/index.js'
import { RUN_COMMAND_ERRORS } from './run-command.js'

const TOPIC = 'com.apple.mgmt.External.cmdapi'

function commandPlist(requestType: string, uuid?: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>Command</key><dict><key>RequestType</key><string>${requestType}</string></dict>
${uuid ? `<key>CommandUUID</key><string>${uuid}</string>` : ''}
</dict></plist>`
}
const b64 = (text: string) => Buffer.from(text).toString('base64')

function reportPlist(uuid: string, status: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>Status</key><string>${status}</string>
<key>UDID</key><string>UUID-1</string><key>CommandUUID</key><string>${uuid}</string></dict></plist>`
}

describe.each(DIALECTS)('MDM commands REST [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let observer: string
  let teamMaintainer: string
  let teamObserver: string

  const run = (token: string, body: unknown) =>
    t.request('POST', `${FLEET_API}/commands/run`, { token, body })
  const reasons = (res: { data(): Record<string, unknown> }) =>
    (res.data().errors as { reason: string }[]).map((e) => e.reason)

  async function mdmEnroll(uuid: string) {
    await saveTokenUpdate(
      t.deps.db,
      {
        id: uuid,
        deviceId: uuid,
        userId: null,
        type: 'Device',
        topic: TOPIC,
        pushMagic: `magic-${uuid}`,
        tokenHex: 'ab'.repeat(32),
      },
      t.clock.now().getTime(),
    )
  }

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    const teamId = await secretAndTeam(t, admin, {
      secret: 'global-s',
      team: 'Macs',
      teamSecret: 'team-s',
    })
    // hosts 1 and 2: no team, MDM-enrolled; 3: team Macs, enrolled; 4: no team, MDM off
    await enrollFixtureHost(t, { n: 1, secret: 'global-s', template: 'ubuntu_22.04' })
    await enrollFixtureHost(t, { n: 2, secret: 'global-s', template: 'ubuntu_22.04' })
    await enrollFixtureHost(t, { n: 3, secret: 'team-s', template: 'ubuntu_22.04' })
    await enrollFixtureHost(t, { n: 4, secret: 'global-s', template: 'ubuntu_22.04' })
    for (const uuid of ['UUID-1', 'UUID-2', 'UUID-3']) {
      await mdmEnroll(uuid)
    }
    observer = (await t.createUser(admin, { email: 'o@example.com', globalRole: 'observer' })).token
    teamMaintainer = (
      await t.createUser(admin, {
        email: 'tm@example.com',
        globalRole: null,
        teams: [{ id: teamId, role: 'maintainer' }],
      })
    ).token
    teamObserver = (
      await t.createUser(admin, {
        email: 'to@example.com',
        globalRole: null,
        teams: [{ id: teamId, role: 'observer' }],
      })
    ).token
  })
  afterAll(() => t.close())

  it('runs a command on two enrolled hosts, lists it and its results as the devices answer', async () => {
    const res = await run(admin, {
      command: b64(commandPlist('DeviceInformation', 'cmd-info-1')),
      host_uuids: ['UUID-1', 'UUID-2'],
    })
    expect(res.statusCode).toBe(200)
    expect(res.data()).toMatchObject({
      command_uuid: 'cmd-info-1',
      request_type: 'DeviceInformation',
      platform: 'darwin',
    })

    const pending = await t.request(
      'GET',
      `${FLEET_API}/commands/results?command_uuid=cmd-info-1`,
      {
        token: admin,
      },
    )
    expect(pending.statusCode).toBe(200)
    const rows = pending.data().results as Record<string, unknown>[]
    expect(rows.map((r) => [r.host_uuid, r.status, r.result])).toEqual([
      ['UUID-1', 'Pending', ''],
      ['UUID-2', 'Pending', ''],
    ])
    expect(Buffer.from(String(rows[0]?.payload), 'base64').toString()).toContain('cmd-info-1')

    // the device's answer, as the queue stores it
    await t.deps.db
      .insertInto('mdm_command_results')
      .values({
        enrollment_id: 'UUID-1',
        command_uuid: 'cmd-info-1',
        status: 'Acknowledged',
        result: reportPlist('cmd-info-1', 'Acknowledged'),
        not_now_at: null,
        created_at: t.clock.now().getTime(),
        updated_at: t.clock.now().getTime(),
      })
      .execute()
    const answered = await t.request(
      'GET',
      `${FLEET_API}/commands/results?command_uuid=cmd-info-1`,
      { token: observer },
    )
    expect(answered.statusCode).toBe(200)
    const first = (answered.data().results as Record<string, unknown>[])[0]
    expect(first?.status).toBe('Acknowledged')
    expect(Buffer.from(String(first?.result), 'base64').toString()).toContain('Acknowledged')
    expect(first?.hostname).toBe('host-1')

    const list = await t.request('GET', `${FLEET_API}/commands?request_type=DeviceInformation`, {
      token: observer,
    })
    expect(list.statusCode, list.body).toBe(200)
    expect(
      (list.data().results as Record<string, unknown>[]).map((r) => [r.host_uuid, r.status]),
    ).toEqual(
      expect.arrayContaining([
        ['UUID-1', 'Acknowledged'],
        ['UUID-2', 'Pending'],
      ]),
    )
    const ran = await t.request('GET', `${FLEET_API}/commands?command_status=ran`, { token: admin })
    expect((ran.data().results as Record<string, unknown>[]).map((r) => r.host_uuid)).toEqual([
      'UUID-1',
    ])
    const byHost = await t.request(
      'GET',
      `${FLEET_API}/commands?host_identifier=host-2&command_status=pending`,
      { token: admin },
    )
    expect((byHost.data().results as Record<string, unknown>[]).map((r) => r.host_uuid)).toEqual([
      'UUID-2',
    ])
    const paged = await t.request('GET', `${FLEET_API}/commands?per_page=1&page=1`, {
      token: admin,
    })
    expect((paged.data().results as unknown[]).length).toBe(1)

    const activities = await t.request('GET', `${FLEET_API}/activities`, { token: admin })
    const activity = (activities.data().activities as Record<string, unknown>[]).find(
      (a) => a.type === 'ran_mdm_command',
    )
    expect(asRecord(activity?.details)).toMatchObject({
      command_uuid: 'cmd-info-1',
      request_type: 'DeviceInformation',
    })
  })

  it('reaches a host through the device check-in linked to it (UDID other than its UUID)', async () => {
    await enrollFixtureHost(t, { n: 5, secret: 'global-s', template: 'ubuntu_22.04' })
    const host = await t.deps.db
      .selectFrom('hosts')
      .select('id')
      .where('uuid', '=', 'UUID-5')
      .executeTakeFirstOrThrow()
    const now = t.clock.now().getTime()
    await t.deps.db
      .insertInto('mdm_apple_devices')
      .values({
        id: 'UDID-5',
        cert_sha256: 'ab'.repeat(32),
        host_id: host.id,
        created_at: now,
        updated_at: now,
      })
      .execute()
    const before = await run(admin, {
      command: b64(commandPlist('ProfileList', 'linked-0')),
      host_uuids: ['UUID-5'],
    })
    expect(reasons(before)).toContain(RUN_COMMAND_ERRORS.mdmOff)
    await mdmEnroll('UDID-5')
    const res = await run(admin, {
      command: b64(commandPlist('ProfileList', 'linked-1')),
      host_uuids: ['UUID-5'],
    })
    expect(res.statusCode, res.body).toBe(200)
    const results = await t.request('GET', `${FLEET_API}/commands/results?command_uuid=linked-1`, {
      token: admin,
    })
    expect((results.data().results as Record<string, unknown>[]).map((r) => r.host_uuid)).toEqual([
      'UUID-5',
    ])
    const queued = await t.deps.db
      .selectFrom('mdm_enrollment_queue')
      .select('enrollment_id')
      .where('command_uuid', '=', 'linked-1')
      .execute()
    expect(queued).toEqual([{ enrollment_id: 'UDID-5' }])
  })

  it('generates a CommandUUID when the plist has none', async () => {
    const res = await run(admin, {
      command: b64(commandPlist('ProfileList')),
      host_uuids: ['UUID-1'],
    })
    expect(res.statusCode).toBe(200)
    expect(String(res.data().command_uuid)).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("refuses bad base64, bad plists, unknown and MDM-off hosts with Fleet's messages", async () => {
    const cases: [unknown, string][] = [
      [{ command: 'not base64!!', host_uuids: ['UUID-1'] }, RUN_COMMAND_ERRORS.base64],
      [{ command: b64('<plist><dict>'), host_uuids: ['UUID-1'] }, RUN_COMMAND_ERRORS.plist],
      [
        { command: b64(commandPlist('', 'no-type')), host_uuids: ['UUID-1'] },
        RUN_COMMAND_ERRORS.plist,
      ],
      [
        { command: b64(commandPlist('ProfileList')), host_uuids: ['nope'] },
        RUN_COMMAND_ERRORS.noHosts,
      ],
      [{ command: b64(commandPlist('ProfileList')), host_uuids: [] }, RUN_COMMAND_ERRORS.noHosts],
      [
        { command: b64(commandPlist('ProfileList')), host_uuids: ['UUID-1', 'UUID-4'] },
        RUN_COMMAND_ERRORS.mdmOff,
      ],
      [
        { command: b64(commandPlist('ProfileList')), host_uuids: ['UUID-1', 'nope'] },
        RUN_COMMAND_ERRORS.mdmOff,
      ],
    ]
    for (const [body, reason] of cases) {
      const res = await run(admin, body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(reasons(res)).toContain(reason)
    }
    const reused = await run(admin, {
      command: b64(commandPlist('ProfileList', 'cmd-info-1')),
      host_uuids: ['UUID-1'],
    })
    expect(reused.statusCode).toBe(400)
    const missing = await t.request('GET', `${FLEET_API}/commands/results?command_uuid=nope`, {
      token: admin,
    })
    expect(missing.statusCode).toBe(404)
    const badFilter = await t.request('GET', `${FLEET_API}/commands?command_status=done`, {
      token: admin,
    })
    expect(badFilter.statusCode).toBe(400)
  })

  it("limits team users to their teams' hosts and observers to reading", async () => {
    const body = (uuids: string[], id: string) => ({
      command: b64(commandPlist('DeviceInformation', id)),
      host_uuids: uuids,
    })
    expect((await run(observer, body(['UUID-1'], 'o-1'))).statusCode).toBe(403)
    expect((await run(teamObserver, body(['UUID-3'], 'to-1'))).statusCode).toBe(403)
    expect((await run(teamMaintainer, body(['UUID-1'], 'tm-1'))).statusCode).toBe(403)
    expect((await run(teamMaintainer, body(['UUID-3', 'UUID-1'], 'tm-2'))).statusCode).toBe(403)
    const ok = await run(teamMaintainer, body(['UUID-3'], 'tm-3'))
    expect(ok.statusCode).toBe(200)

    const list = await t.request('GET', `${FLEET_API}/commands`, { token: teamObserver })
    expect(list.statusCode).toBe(200)
    const hosts = new Set(
      (list.data().results as Record<string, unknown>[]).map((r) => r.host_uuid),
    )
    expect([...hosts]).toEqual(['UUID-3'])
    const hidden = await t.request('GET', `${FLEET_API}/commands/results?command_uuid=cmd-info-1`, {
      token: teamObserver,
    })
    expect(hidden.statusCode).toBe(200)
    expect(hidden.data().results).toEqual([])
    const unauthenticated = await t.request('GET', `${FLEET_API}/commands`)
    expect(unauthenticated.statusCode).toBe(401)
  })
})
