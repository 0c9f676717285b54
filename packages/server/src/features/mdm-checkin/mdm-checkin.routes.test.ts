import { readFileSync } from 'node:fs'
import { parse } from 'plist'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSelfSignedCa } from '../../platform/pki/x509.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { enableAppleMdm, TEST_SERVER_PRIVATE_KEY } from '../../test-utils/mdm-kit.js'
import {
  mdmSignature,
  scepIdentity,
  TestMdmDevice,
  type TestIdentity,
} from '../../test-utils/mdm-device.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

const FIXTURES = new URL('../../../../../../shared/fixtures/mdm/', import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8')

describe.each(DIALECTS)('MDM check-in endpoint [%s]', (dialect) => {
  let t: TestServer
  let challenge: string
  let topic: string
  let admin: string

  beforeAll(async () => {
    t = await startTestServer(dialect, { flags: { 'server.private_key': TEST_SERVER_PRIVATE_KEY } })
    admin = await t.setupAdmin()
    ;({ challenge, topic } = await enableAppleMdm(t, admin))
  })
  afterAll(() => t.close())

  async function newDevice(): Promise<TestMdmDevice> {
    return new TestMdmDevice(t, await scepIdentity(t, challenge), topic)
  }

  const db = () => t.database.db
  const enrollment = (id: string) =>
    db().selectFrom('mdm_enrollments').selectAll().where('id', '=', id).executeTakeFirst()
  const activities = (type: string) =>
    db().selectFrom('activities').selectAll().where('activity_type', '=', type).execute()

  it('takes the fixture check-ins: Authenticate disables, TokenUpdate enables with the token hex, once "enrolled"', async () => {
    const device = new TestMdmDevice(t, await scepIdentity(t, challenge), topic)
    const send = (name: string) => device.send(fixture(name))
    const udid = '66ADE930-5FDF-5EC4-8429-15640684C489'
    const before = (await activities('mdm_enrolled')).length

    expect((await send('Authenticate.2.plist')).statusCode).toBe(200)
    const row = await db()
      .selectFrom('mdm_apple_devices')
      .selectAll()
      .where('id', '=', udid)
      .executeTakeFirst()
    expect(row).toMatchObject({
      serial_number: 'C02MT66KFLHH',
      device_name: 'Fruit',
      model: 'iMac14,2',
    })
    expect(await enrollment(udid)).toBeUndefined()

    const first = await send('TokenUpdate.2.plist')
    expect(first).toEqual({ statusCode: 200, body: '' })
    const enrolled = await enrollment(udid)
    expect(enrolled).toMatchObject({
      enabled: 1,
      push_magic: '888CEB39-BFFA-40F6-89FA-B60752EB63C2',
      token_hex: Buffer.from('G6fJAGbFD3domiTzpCXK9oowD3KeiORgqUFgItXWQsw=', 'base64').toString(
        'hex',
      ),
    })
    expect(Number(enrolled?.token_update_tally)).toBe(1)
    expect((await send('TokenUpdate.2.plist')).statusCode).toBe(200)
    expect(Number((await enrollment(udid))?.token_update_tally)).toBe(2)
    const logged = await activities('mdm_enrolled')
    expect(logged.length).toBe(before + 1)
    expect(JSON.parse(String(logged.at(-1)?.details))).toEqual({
      host_serial: 'C02MT66KFLHH',
      host_display_name: 'Fruit',
      installed_from_dep: false,
      mdm_platform: 'apple',
    })

    // Authenticate again (re-enrollment): disabled until the next TokenUpdate, "enrolled" again.
    expect((await send('Authenticate.2.plist')).statusCode).toBe(200)
    expect(Number((await enrollment(udid))?.enabled)).toBe(0)
    expect((await send('TokenUpdate.2.plist')).statusCode).toBe(200)
    expect((await activities('mdm_enrolled')).length).toBe(before + 2)
  })

  it('CheckOut disables the enrollment and records mdm_unenrolled', async () => {
    const device = await newDevice()
    await device.authenticate()
    await device.tokenUpdate()
    expect((await device.checkin('CheckOut', { Topic: topic })).statusCode).toBe(200)
    expect(Number((await enrollment(device.udid))?.enabled)).toBe(0)
    const logged = (await activities('mdm_unenrolled')).map((a) => JSON.parse(String(a.details)))
    expect(logged).toContainEqual({
      host_serial: device.serial,
      host_display_name: `Mac ${device.serial}`,
      installed_from_dep: false,
    })
  })

  it('answers UserAuthenticate 410, unknown types 400, DDM through its hook, bootstrap tokens', async () => {
    const device = await newDevice()
    await device.authenticate()
    await device.tokenUpdate()
    expect((await device.checkin('UserAuthenticate', { UserID: 'U1' })).statusCode).toBe(410)
    const unknown = await device.checkin('Bogus')
    expect(unknown.statusCode).toBe(400)
    expect(unknown.body).toContain('unrecognized MessageType')
    // DeclarativeManagement goes to the DDM feature's hook (features/mdm-ddm tests it).
    const ddm = await device.checkin('DeclarativeManagement', { Endpoint: 'tokens' })
    expect(ddm.statusCode).toBe(200)
    expect(JSON.parse(ddm.body)).toMatchObject({ SyncTokens: { DeclarationsToken: '' } })

    expect(await device.checkin('GetBootstrapToken')).toEqual({ statusCode: 200, body: '' })
    const token = Buffer.from('bootstrap-secret')
    expect((await device.checkin('SetBootstrapToken', { BootstrapToken: token })).statusCode).toBe(
      200,
    )
    const got = await device.checkin('GetBootstrapToken')
    const value = parse(got.body) as { BootstrapToken: Uint8Array }
    expect(Buffer.from(value.BootstrapToken).equals(token)).toBe(true)
  })

  it('refuses bad signatures with 400, never 401', async () => {
    const device = await newDevice()
    expect((await device.authenticate(null)).statusCode).toBe(400)
    const otherBody = await device.send(
      { MessageType: 'Authenticate', UDID: device.udid, Topic: topic },
      { signedBody: Buffer.from('something else') },
    )
    expect(otherBody.statusCode).toBe(400)
    expect(otherBody.body).toContain('bad Mdm-Signature')

    const foreign = await createSelfSignedCa({
      name: 'CN=Not the SCEP CA',
      years: 1,
      now: new Date(),
    })
    const stranger: TestIdentity = {
      certDer: Buffer.from(foreign.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'),
      keyPem: foreign.keyPem,
    }
    const res = await device.authenticate(stranger)
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('not issued by the MDM SCEP CA')
    const garbage = await t.server.app.inject({
      method: 'PUT',
      url: '/mdm/apple/mdm',
      headers: {
        'content-type': 'application/x-apple-aspen-mdm-checkin',
        'mdm-signature': 'bm9wZQ==',
      },
      payload: 'not a plist',
    })
    expect(garbage.statusCode).toBe(400)
    expect(
      await db()
        .selectFrom('mdm_apple_devices')
        .select('id')
        .where('id', '=', device.udid)
        .executeTakeFirst(),
    ).toBeUndefined()
  })

  it('binds a device to its certificate: re-use by another device and messages from another cert are refused', async () => {
    const a = await newDevice()
    const b = await newDevice()
    expect((await a.authenticate()).statusCode).toBe(200)
    const reuse = await b.authenticate(a.identity)
    expect(reuse.statusCode).toBe(400)
    expect(reuse.body).toContain('cert re-use not permitted')
    expect((await b.authenticate()).statusCode).toBe(200)

    const spoof = await a.tokenUpdate(b.identity)
    expect(spoof.statusCode).toBe(400)
    expect(spoof.body).toContain('enrollment not associated with cert')
    expect(await enrollment(a.udid)).toBeUndefined()
    const report = await a.send(
      { UDID: a.udid, Status: 'Idle' },
      { checkin: false, signer: b.identity },
    )
    expect(report.statusCode).toBe(400)
    // A device that never authenticated gets nothing either.
    const unknown = await newDevice()
    expect((await unknown.tokenUpdate()).statusCode).toBe(400)
    expect(await mdmSignature(a.identity, Buffer.from('x'))).toMatch(/^[A-Za-z0-9+/=]+$/)
  })

  it('makes the enrolled device one host with its osquery host (UDID, else serial), or an MDM-only host', async () => {
    const now = Date.now()
    const osqueryHost = async (values: { uuid: string; hardware_serial: string }) => {
      await db()
        .insertInto('hosts')
        .values({
          ...values,
          created_at: now,
          updated_at: now,
          team_id: null,
          node_key_hash: null,
          platform: 'darwin',
          hostname: 'osq',
        })
        .execute()
      return (
        await db()
          .selectFrom('hosts')
          .select('id')
          .where('uuid', '=', values.uuid)
          .executeTakeFirstOrThrow()
      ).id
    }
    const hostOf = async (udid: string) =>
      (
        await db()
          .selectFrom('mdm_apple_devices')
          .select('host_id')
          .where('id', '=', udid)
          .executeTakeFirst()
      )?.host_id
    const enroll = async (device: TestMdmDevice) => {
      expect((await device.authenticate()).statusCode).toBe(200)
      expect((await device.tokenUpdate()).statusCode).toBe(200)
    }

    const byUuid = await newDevice()
    const id1 = await osqueryHost({ uuid: byUuid.udid, hardware_serial: '' })
    await enroll(byUuid)
    expect(Number(await hostOf(byUuid.udid))).toBe(id1)

    const bySerial = await newDevice()
    const id2 = await osqueryHost({
      uuid: 'other-uuid-' + bySerial.serial,
      hardware_serial: bySerial.serial,
    })
    await enroll(bySerial)
    expect(Number(await hostOf(bySerial.udid))).toBe(id2)

    const alone = await newDevice()
    await enroll(alone)
    const created = await db()
      .selectFrom('hosts')
      .selectAll()
      .where('uuid', '=', alone.udid)
      .execute()
    expect(created).toHaveLength(1)
    expect(created[0]).toMatchObject({
      platform: 'darwin',
      hardware_serial: alone.serial,
      computer_name: `Mac ${alone.serial}`,
      os_version: 'macOS 14.4.1',
      node_key_hash: null,
    })
    expect(Number(await hostOf(alone.udid))).toBe(Number(created[0]?.id))
    // The host page and the list filter show it; CheckOut turns it Off.
    const detail = async (id: unknown) =>
      (
        await t.request('GET', `/api/latest/fleet/hosts/${Number(id)}`, { token: admin })
      ).json() as {
        host: { mdm: unknown }
      }
    expect((await detail(created[0]?.id)).host.mdm).toEqual({
      encryption_key_available: false,
      enrollment_status: 'On (manual)',
      dep_profile_error: false,
      name: 'Fleet',
      server_url: 'https://fleet.example.com/mdm/apple/mdm',
    })
    const listed = async (status: string) => {
      const res = await t.request(
        'GET',
        `/api/latest/fleet/hosts?mdm_enrollment_status=${status}&per_page=500`,
        { token: admin },
      )
      expect(res.statusCode).toBe(200)
      return (res.json() as { hosts: { id: number }[] }).hosts.map((h) => h.id)
    }
    expect(await listed('manual')).toContain(Number(created[0]?.id))
    expect(await listed('enrolled')).toContain(id1)
    expect(await listed('unenrolled')).not.toContain(id1)
    expect(await listed('automatic')).toEqual([])
    expect(
      (
        await t.request('GET', '/api/latest/fleet/hosts?mdm_enrollment_status=bogus', {
          token: admin,
        })
      ).statusCode,
    ).toBe(400)
    await alone.checkin('CheckOut', { Topic: topic })
    expect((await detail(created[0]?.id)).host.mdm).toMatchObject({ enrollment_status: 'Off' })
    expect(await listed('unenrolled')).toContain(Number(created[0]?.id))
    const plain = await osqueryHost({ uuid: 'never-mdm', hardware_serial: 'NEVERMDM' })
    expect((await detail(plain)).host.mdm).toMatchObject({ enrollment_status: null, name: '' })

    // A second TokenUpdate does not create another host.
    await alone.tokenUpdate()
    expect(
      await db().selectFrom('hosts').select('id').where('uuid', '=', alone.udid).execute(),
    ).toHaveLength(1)
  })
})
