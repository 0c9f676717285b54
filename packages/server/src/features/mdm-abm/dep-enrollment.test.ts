import { FLEET_API } from '@fleet/test-support'
import { parse } from 'plist'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runJob, startAbmWorld, type AbmWorld } from '../../test-utils/abm-kit.js'
import { DIALECTS } from '../../test-utils/databases.js'
import type { FakeAbm } from '../../test-utils/fake-abm.js'
import { enableAppleMdm } from '../../test-utils/mdm-kit.js'
import { scepIdentity, TestMdmDevice } from '../../test-utils/mdm-device.js'
import type { TestServer } from '../../test-utils/test-server.js'

/** The RequestType of a command plist the server answered. */
function requestTypeOf(body: string): string {
  const parsed = parse(body) as { Command?: { RequestType?: string } }
  return String(parsed.Command?.RequestType)
}

describe.each(DIALECTS)('automatic (ABM) enrollment end to end [%s]', (dialect) => {
  let world: AbmWorld
  let t: TestServer
  let abm: FakeAbm
  let admin: string
  let challenge: string
  let topic: string
  let teamId: number

  beforeAll(async () => {
    world = await startAbmWorld(dialect, 'Company Macs')
    ;({ t, abm, admin, teamId } = world)
    ;({ challenge, topic } = await enableAppleMdm(t, admin))
  })
  afterAll(() => world.close())

  const run = (name: string) => runJob(t, name)
  const hostsWithSerial = (serial: string) =>
    t.database.db
      .selectFrom('hosts')
      .select(['id', 'uuid', 'team_id'])
      .where('hardware_serial', '=', serial)
      .execute()
  const enrollUrl = (profileUrl: unknown) => {
    const url = new URL(String(profileUrl))
    return `${url.pathname}${url.search}`
  }
  const enrollInSetupAssistant = async (device: TestMdmDevice) => {
    expect((await device.authenticate()).statusCode).toBe(200)
    const update = await device.checkin('TokenUpdate', {
      Topic: topic,
      Token: device.token,
      PushMagic: device.pushMagic,
      AwaitingConfiguration: true,
    })
    expect(update.statusCode).toBe(200)
  }

  it('a device ABM assigned enrolls through its DEP profile URL, is the same host, and is released', async () => {
    const device = new TestMdmDevice(t, await scepIdentity(t, challenge), topic)
    abm.addDevice({ serial_number: device.serial })
    await run('mdm_apple_dep_syncer')
    const [pending] = await hostsWithSerial(device.serial)
    expect(pending).toMatchObject({ uuid: '', team_id: teamId })

    // Setup Assistant fetches the enrollment profile from the DEP profile's URL
    const profile = [...abm.profiles.values()][0]
    const download = await t.server.app.inject({ method: 'GET', url: enrollUrl(profile?.url) })
    expect(download.statusCode).toBe(200)
    expect(download.headers['content-type']).toContain('application/x-apple-aspen-config')
    const forged = await t.server.app.inject({
      method: 'GET',
      url: '/api/mdm/apple/enroll?token=forged',
    })
    expect(forged.statusCode).toBe(403)

    await enrollInSetupAssistant(device)
    const hosts = await hostsWithSerial(device.serial)
    expect(hosts).toEqual([{ id: pending?.id, uuid: device.udid, team_id: teamId }])
    const detail = await t.request('GET', `${FLEET_API}/hosts/${pending?.id}`, { token: admin })
    expect((detail.data().host as { mdm: unknown }).mdm).toMatchObject({
      enrollment_status: 'On (automatic)',
      name: 'Fleet',
    })
    const automatic = await t.request('GET', `${FLEET_API}/hosts?mdm_enrollment_status=automatic`, {
      token: admin,
    })
    expect((automatic.data().hosts as { id: number }[]).map((h) => h.id)).toEqual([pending?.id])

    // DeviceConfigured once, after the enrollment
    expect(await run('mdm_apple_dep_device_configured')).toEqual({ sent: 1 })
    expect(await run('mdm_apple_dep_device_configured')).toEqual({ sent: 0 })
    const idle = await device.report('Idle')
    expect(idle.statusCode).toBe(200)
    expect(requestTypeOf(idle.body)).toBe('DeviceConfigured')
    const uuid = String((parse(idle.body) as { CommandUUID?: string }).CommandUUID)
    const ack = await device.report('Acknowledged', { CommandUUID: uuid })
    expect(ack).toEqual({ statusCode: 200, body: '' })
  })

  it('a manually enrolled Mac (not in ABM) is "On (manual)" and gets no DeviceConfigured', async () => {
    const device = new TestMdmDevice(t, await scepIdentity(t, challenge), topic)
    await enrollInSetupAssistant(device)
    const [host] = await hostsWithSerial(device.serial)
    const detail = await t.request('GET', `${FLEET_API}/hosts/${host?.id}`, { token: admin })
    expect((detail.data().host as { mdm: unknown }).mdm).toMatchObject({
      enrollment_status: 'On (manual)',
    })
    expect(await run('mdm_apple_dep_device_configured')).toEqual({ sent: 0 })
  })

  it('an ABM device that enrolls again (wiped) is released again', async () => {
    const device = new TestMdmDevice(t, await scepIdentity(t, challenge), topic)
    abm.addDevice({ serial_number: device.serial })
    await run('mdm_apple_dep_syncer')
    await enrollInSetupAssistant(device)
    expect(await run('mdm_apple_dep_device_configured')).toEqual({ sent: 1 })
    t.clock.advance(1000)
    await enrollInSetupAssistant(device)
    expect(await run('mdm_apple_dep_device_configured')).toEqual({ sent: 1 })
  })
})
