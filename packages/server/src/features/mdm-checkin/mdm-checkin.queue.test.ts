import { randomUUID } from 'node:crypto'
import { parse } from 'plist'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { startFakeApns, type FakeApns } from '../../test-utils/fake-apns.js'
import { enableAppleMdm, TEST_SERVER_PRIVATE_KEY } from '../../test-utils/mdm-kit.js'
import { scepIdentity, TestMdmDevice } from '../../test-utils/mdm-device.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { fakeApnsQueue } from '../../test-utils/fake-apns-queue.js'
import { encodeCommand, type CommandQueue } from '../mdm-commands/index.js'

type ApnsConnectionsHandle = Awaited<ReturnType<typeof fakeApnsQueue>>['connections']

/** The command uuid of a ServerURL answer (empty body = none). */
function commandOf(body: string): string | undefined {
  return body === '' ? undefined : (parse(body) as { CommandUUID: string }).CommandUUID
}

describe.each(DIALECTS)('MDM commands through the check-in endpoint [%s]', (dialect) => {
  let t: TestServer
  let apns: FakeApns
  let connections: ApnsConnectionsHandle
  let queue: CommandQueue
  let device: TestMdmDevice

  beforeAll(async () => {
    t = await startTestServer(dialect, { flags: { 'server.private_key': TEST_SERVER_PRIVATE_KEY } })
    const { challenge, topic } = await enableAppleMdm(t, await t.setupAdmin())
    apns = await startFakeApns()
    // The server's own queue pushes with the uploaded certificate to Apple; this one, on the
    // same database, pushes to the fake APNs with a certificate it trusts.
    ;({ queue, connections } = await fakeApnsQueue(t, apns, topic))
    device = new TestMdmDevice(t, await scepIdentity(t, challenge), topic)
    expect((await device.authenticate()).statusCode).toBe(200)
    expect((await device.tokenUpdate()).statusCode).toBe(200)
  })
  afterAll(async () => {
    await connections.closeAll()
    await apns.close()
    await t.close()
  })

  it('push → Idle → command; Acknowledged → next; NotNow → empty; Idle → offered again; Error stored; re-Authenticate clears', async () => {
    const one = encodeCommand(randomUUID(), 'DeviceInformation', { Queries: ['UDID'] })
    const two = encodeCommand(randomUUID(), 'ProfileList')
    await queue.enqueue([device.udid], one)
    await queue.enqueue([device.udid], two)
    const pushes = await apns.waitForPushes(2)
    expect(pushes[0]).toMatchObject({
      token: device.token.toString('hex'),
      body: { mdm: device.pushMagic },
    })

    const first = await device.report('Idle')
    expect(first.statusCode).toBe(200)
    expect(commandOf(first.body)).toBe(one.commandUuid)
    const ack = await device.report('Acknowledged', {
      CommandUUID: one.commandUuid,
      QueryResponses: { UDID: device.udid },
    })
    expect(commandOf(ack.body)).toBe(two.commandUuid)
    const notNow = await device.report('NotNow', { CommandUUID: two.commandUuid })
    expect(notNow).toEqual({ statusCode: 200, body: '' })
    expect(commandOf((await device.report('Idle')).body)).toBe(two.commandUuid)
    const error = await device.report('Error', {
      CommandUUID: two.commandUuid,
      ErrorChain: [
        { ErrorCode: 12021, ErrorDomain: 'MCMDMErrorDomain', LocalizedDescription: 'Nope' },
      ],
    })
    expect(error).toEqual({ statusCode: 200, body: '' })
    const stored = await t.database.db
      .selectFrom('mdm_command_results')
      .select(['status', 'result'])
      .where('command_uuid', '=', two.commandUuid)
      .executeTakeFirstOrThrow()
    expect(stored.status).toBe('Error')
    expect(stored.result).toContain('MCMDMErrorDomain')

    // A report for a command never queued, or a malformed one: 400, nothing stored.
    expect((await device.report('Acknowledged', { CommandUUID: randomUUID() })).statusCode).toBe(
      400,
    )
    expect((await device.report('Bogus')).statusCode).toBe(400)

    const three = encodeCommand(randomUUID(), 'InstalledApplicationList')
    await queue.enqueue([device.udid], three, { push: false })
    expect((await device.authenticate()).statusCode).toBe(200)
    expect((await device.tokenUpdate()).statusCode).toBe(200)
    expect(await device.report('Idle')).toEqual({ statusCode: 200, body: '' })
  })
})
