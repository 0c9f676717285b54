import { randomUUID } from 'node:crypto'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MockInstance } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { scepIdentity, startMdmWorld, type MdmTestWorld } from '../../test-utils/mdm-device.js'
import type { TestServer } from '../../test-utils/test-server.js'
import { MAX_COMMAND_RESULT_BYTES } from '../mdm-commands/index.js'

/**
 * Issue 11's "Bad input" for devices: each refusal is a 400 (never 401) with a clear reason,
 * changes nothing, is logged, and prints nothing on the console.
 */
describe.each(DIALECTS)('MDM check-in bad input [%s]', (dialect) => {
  let world: MdmTestWorld
  let t: TestServer
  let challenge: string
  let topic: string
  const logged: Record<string, unknown>[] = []
  let consoleSpies: MockInstance[] = []

  beforeAll(async () => {
    const log = pino(
      { level: 'info' },
      { write: (line: string) => logged.push(JSON.parse(line) as Record<string, unknown>) },
    )
    world = await startMdmWorld(dialect, { log })
    ;({ t, challenge, topic } = world)
  })
  afterAll(() => t.close())
  beforeEach(() => {
    logged.length = 0
    consoleSpies = (['error', 'warn', 'log'] as const).map((m) => vi.spyOn(console, m))
  })
  afterEach(() => {
    for (const spy of consoleSpies) {
      expect(spy).not.toHaveBeenCalled()
      spy.mockRestore()
    }
  })

  const db = () => t.deps.db
  const enrolledDevice = () => world.enrolledDevice()
  /** Rows of every table a device message can write, to prove a refusal wrote nothing. */
  async function snapshot() {
    const all = (table: 'mdm_apple_devices' | 'mdm_enrollments' | 'mdm_command_results') =>
      db().selectFrom(table).selectAll().execute()
    const [devices, enrollments, results, activities] = await Promise.all([
      all('mdm_apple_devices'),
      all('mdm_enrollments'),
      all('mdm_command_results'),
      db().selectFrom('activities').select('id').execute(),
    ])
    return { devices, enrollments, results, activities: activities.length }
  }
  const refusals = () => logged.filter((line) => line.msg === 'MDM request refused')

  async function expectRefused(
    send: () => Promise<{ statusCode: number; body: string }>,
    reason: RegExp,
  ): Promise<void> {
    const before = await snapshot()
    logged.length = 0
    const res = await send()
    expect(res.statusCode).toBe(400)
    const body = JSON.parse(res.body) as { errors: { reason: string }[] }
    expect(body.errors.map((e) => e.reason).join(' ')).toMatch(reason)
    expect(refusals()).toHaveLength(1)
    expect(await snapshot()).toEqual(before)
  }

  it.each([
    ['an unclosed element', '<?xml version="1.0"?><plist><dict><key>A</key><string>x</dict>'],
    ['mismatched tags', '<plist version="1.0"><dict></array></plist>'],
    ['not XML', '{"MessageType": "Authenticate"}'],
    ['an unknown entity', '<plist><dict><key>MessageType</key><string>&x;</string></dict></plist>'],
    ['a bad <data>', '<plist><dict><key>Token</key><data>@@@</data></dict></plist>'],
  ])('refuses a check-in with %s: 400, logged, silent', async (_name, body) => {
    const device = await enrolledDevice()
    await expectRefused(() => device.send(body), /malformed plist/)
  })

  it('refuses a malformed command report the same way', async () => {
    const device = await enrolledDevice()
    const body = '<plist><dict><key>Status</key><string>Idle</dict></plist>'
    await expectRefused(() => device.send(body, { checkin: false }), /malformed plist/)
  })

  it('refuses unknown MessageTypes and missing keys', async () => {
    const device = await enrolledDevice()
    await expectRefused(() => device.checkin('Bogus'), /unrecognized MessageType "Bogus"/)
    await expectRefused(() => device.checkin('TokenUpdate'), /Token is required/)
    await expectRefused(
      () => device.send({ MessageType: 'CheckOut', Topic: topic }),
      /names no UDID or EnrollmentID/,
    )
  })

  it.each([
    ['com.apple.maid', /com\.apple\.maid is not supported: .*Apple Business Manager/, true],
    ['com.apple.watch.pairing', /watch\.pairing is not supported/, true],
    ['com.example.other', /unrecognized TokenServiceType "com\.example\.other"/, false],
  ])('answers GetToken %s with a 400 that says why, logged', async (type, reason, known) => {
    const device = await enrolledDevice()
    await expectRefused(
      () =>
        device.checkin('GetToken', {
          TokenServiceType: type,
          TokenParameters: { PhoneUDID: randomUUID() },
        }),
      reason,
    )
    expect(logged.filter((l) => l.msg === 'MDM GetToken refused')).toEqual([
      expect.objectContaining({ tokenServiceType: type, known, enrollmentId: device.udid }),
    ])
  })

  it('refuses a GetToken without TokenServiceType', async () => {
    const device = await enrolledDevice()
    await expectRefused(() => device.checkin('GetToken'), /TokenServiceType is required/)
  })

  it('refuses the old certificate once the device re-enrolled with a new one', async () => {
    const device = await enrolledDevice()
    const old = device.identity
    device.identity = await scepIdentity(t, challenge)
    expect((await device.authenticate()).statusCode).toBe(200)
    expect((await device.tokenUpdate()).statusCode).toBe(200)
    await expectRefused(
      () => device.send({ UDID: device.udid, Status: 'Idle' }, { checkin: false, signer: old }),
      /enrollment not associated with cert/,
    )
    await expectRefused(() => device.tokenUpdate(old), /enrollment not associated with cert/)
  })

  it('refuses a signature replayed onto another body', async () => {
    const device = await enrolledDevice()
    const genuine = Buffer.from(
      '<plist><dict><key>Status</key><string>Idle</string></dict></plist>',
    )
    await expectRefused(
      () =>
        device.send(
          { UDID: device.udid, Status: 'Idle', Extra: 'tampered' },
          { checkin: false, signedBody: genuine },
        ),
      /bad Mdm-Signature/,
    )
  })

  it('refuses a command result over the cap, and a result for a command never queued', async () => {
    const device = await enrolledDevice()
    const huge = 'x'.repeat(MAX_COMMAND_RESULT_BYTES)
    await expectRefused(
      () =>
        device.send(
          {
            UDID: device.udid,
            Status: 'Acknowledged',
            CommandUUID: randomUUID(),
            Huge: huge,
          },
          { checkin: false },
        ),
      /a command result is limited to 4194304 bytes/,
    )
    await expectRefused(
      () => device.report('Acknowledged', { CommandUUID: randomUUID() }),
      /was never queued for this enrollment/,
    )
  })
})
