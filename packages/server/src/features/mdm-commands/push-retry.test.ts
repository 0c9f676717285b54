import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../platform/logger.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { startFakeApns, type FakeApns } from '../../test-utils/fake-apns.js'
import { TestClock } from '../../test-utils/test-server.js'
import { createApnsConnections, type ApnsConnections } from './apns-connections.js'
import { createApnsPusher } from './apns-pusher.js'
import { encodeCommand } from './command.js'
import { createCommandQueue, type CommandQueue } from './command-queue.js'
import { saveTokenUpdate } from './enrollments.service.js'
import { findEnrollment } from './enrollments.store.js'
import { isPermanentPushError, pushRetryJob, retryDelayMs } from './push-retry.js'
import type { Pusher } from './push.js'
import { createResultHandlers } from './result-handlers.js'

const TOPIC = 'com.apple.mgmt.External.push-retry'

describe('retry back-off', () => {
  it('waits 1 min after the first failure, doubling, capped at 1 h', () => {
    expect([1, 2, 3, 6, 7, 50].map(retryDelayMs)).toEqual([
      60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000,
    ])
  })
  it('never retries a token APNs says is gone or invalid', () => {
    expect(isPermanentPushError('410 Unregistered')).toBe(true)
    expect(isPermanentPushError('400 BadDeviceToken')).toBe(true)
    expect(isPermanentPushError('500 InternalServerError')).toBe(false)
    expect(isPermanentPushError('429 TooManyRequests')).toBe(false)
    expect(isPermanentPushError('connect ECONNREFUSED 127.0.0.1:1')).toBe(false)
  })
})

describe.each(DIALECTS)('push retry against the fake APNs [%s]', (dialect) => {
  let t: TestDatabase
  let apns: FakeApns
  let connections: ApnsConnections
  let pusher: Pusher
  let queue: CommandQueue
  const clock = new TestClock()

  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    apns = await startFakeApns()
    const issued = await apns.pki.issueClient('APSP:test', TOPIC)
    connections = createApnsConnections({ baseUrl: apns.url, ca: apns.pki.ca.certPem })
    pusher = createApnsPusher({
      db: t.db,
      clock,
      log: silentLogger(),
      certificates: {
        pushCertificate: (topic) =>
          Promise.resolve(
            topic === TOPIC
              ? { topic, certPem: issued.certPem, keyPem: issued.keyPem, version: '1' }
              : undefined,
          ),
      },
      connections,
      concurrency: 2,
    })
    queue = createCommandQueue({
      db: t.db,
      clock,
      log: silentLogger(),
      handlers: createResultHandlers(),
      pusher,
    })
  })
  afterAll(async () => {
    await connections.closeAll()
    await apns.close()
    await t.drop()
  })

  async function enroll(): Promise<{ id: string; token: string }> {
    const id = randomUUID().toUpperCase()
    const token = randomUUID().replace(/-/g, '')
    await saveTokenUpdate(
      t.db,
      {
        id,
        deviceId: id,
        userId: null,
        type: 'Device',
        topic: TOPIC,
        pushMagic: 'm',
        tokenHex: token,
      },
      clock.now().getTime(),
    )
    return { id, token }
  }
  const pushesTo = (token: string) => apns.pushes.filter((p) => p.token === token).length

  it('re-pushes failed enrollments with waiting commands, backing off, until a push gets through', async () => {
    const flaky = await enroll()
    const gone = await enroll()
    const idle = await enroll()
    apns.answer(flaky.token, { status: 500, reason: 'InternalServerError' })
    apns.answer(gone.token, { status: 410, reason: 'Unregistered' })
    apns.answer(idle.token, { status: 500, reason: 'InternalServerError' })
    await queue.enqueue([flaky.id, gone.id], encodeCommand(randomUUID(), 'ProfileList'))
    await pusher.push([idle.id]) // failed too, but has nothing waiting
    const job = pushRetryJob({ db: t.db, clock, pusher })
    expect(pushesTo(flaky.token)).toBe(1)

    expect(await job.run()).toEqual({ retried: 0, sent: 0 }) // not a minute yet
    clock.advance(60_000)
    expect(await job.run()).toEqual({ retried: 1, sent: 0 }) // flaky only; 500 again
    expect(pushesTo(flaky.token)).toBe(2)
    expect((await findEnrollment(t.db, flaky.id))?.lastPushError).toBe('500 InternalServerError')

    clock.advance(60_000) // the second failure waits two minutes
    expect(await job.run()).toEqual({ retried: 0, sent: 0 })
    apns.answer(flaky.token, { status: 200 })
    clock.advance(60_000)
    expect(await job.run()).toEqual({ retried: 1, sent: 1 })
    expect((await findEnrollment(t.db, flaky.id))?.lastPushError).toBeNull()

    clock.advance(3_600_000)
    expect(await job.run()).toEqual({ retried: 0, sent: 0 })
    expect(pushesTo(flaky.token)).toBe(3)
    expect(pushesTo(gone.token)).toBe(1)
    expect(pushesTo(idle.token)).toBe(1)
  })

  it('stops retrying once the device reports (it is reachable)', async () => {
    const dev = await enroll()
    apns.answer(dev.token, { status: 503, reason: 'ServiceUnavailable' })
    await queue.enqueue([dev.id], encodeCommand(randomUUID(), 'ProfileList'))
    const idle = `<?xml version="1.0"?><plist version="1.0"><dict><key>Status</key><string>Idle</string><key>UDID</key><string>${dev.id}</string></dict></plist>`
    await queue.report(dev.id, idle)
    clock.advance(3_600_000)
    const job = pushRetryJob({ db: t.db, clock, pusher })
    expect(await job.run()).toEqual({ retried: 0, sent: 0 })
    expect(pushesTo(dev.token)).toBe(1)
  })
})
