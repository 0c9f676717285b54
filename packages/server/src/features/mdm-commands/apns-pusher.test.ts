import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../platform/logger.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { startFakeApns, type FakeApns } from '../../test-utils/fake-apns.js'
import { createTestPki } from '../../test-utils/test-pki.js'
import { createApnsConnections, type ApnsConnections } from './apns-connections.js'
import { createApnsPusher } from './apns-pusher.js'
import { encodeCommand, parsePlistDict } from './command.js'
import { createCommandQueue } from './command-queue.js'
import { disableDevice, saveTokenUpdate } from './enrollments.service.js'
import { findEnrollment } from './enrollments.store.js'
import type { PushCertificate } from './push.js'
import { createResultHandlers } from './result-handlers.js'

const FIXTURES = new URL('../../../../../../shared/fixtures/mdm/', import.meta.url)
const TOPIC = 'com.apple.mgmt.External.e3b8ceac-1f18-2c8e-8a63-dd17d99435d9'

describe.each(DIALECTS)('APNs pusher against a fake APNs [%s]', (dialect) => {
  let t: TestDatabase
  let apns: FakeApns
  let cert: PushCertificate
  let connections: ApnsConnections
  const clock = { now: () => new Date(Date.UTC(2026, 11, 7, 12)) }

  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    apns = await startFakeApns()
    const issued = await apns.pki.issueClient('APSP:test', TOPIC)
    cert = { topic: TOPIC, certPem: issued.certPem, keyPem: issued.keyPem, version: '1' }
  })
  afterEach(() => connections.closeAll())
  afterAll(async () => {
    await apns.close()
    await t.drop()
  })

  function pusherWith(certs: Record<string, PushCertificate>, concurrency = 5) {
    connections = createApnsConnections({ baseUrl: apns.url, ca: apns.pki.ca.certPem })
    return createApnsPusher({
      db: t.db,
      clock,
      log: silentLogger(),
      certificates: { pushCertificate: (topic) => Promise.resolve(certs[topic]) },
      connections,
      concurrency,
    })
  }

  async function enroll(
    tokenHex = randomUUID().replace(/-/g, ''),
  ): Promise<{ id: string; tokenHex: string }> {
    const id = randomUUID().toUpperCase()
    await saveTokenUpdate(
      t.db,
      {
        id,
        deviceId: id,
        userId: null,
        type: 'Device',
        topic: TOPIC,
        pushMagic: `magic-${id}`,
        tokenHex,
      },
      clock.now().getTime(),
    )
    return { id, tokenHex }
  }

  it('sends {"mdm": PushMagic} to /3/device/<token of the TokenUpdate fixture> with the push certificate', async () => {
    const update = parsePlistDict(readFileSync(new URL('TokenUpdate.1.plist', FIXTURES), 'utf8'))
    const token = update.Token
    expect(token).toBeInstanceOf(Uint8Array)
    const tokenHex = Buffer.from(token instanceof Uint8Array ? token : []).toString('hex')
    expect(tokenHex).toBe('47e8eec062c2f729ec1703c1b3e18f1971d85f00be76445d34080baa701b5f51')
    const dev = await enroll(tokenHex)
    const before = apns.pushes.length
    const results = await pusherWith({ [TOPIC]: cert }).push([dev.id])
    expect(results).toEqual([{ enrollmentId: dev.id, outcome: 'sent', apnsId: expect.any(String) }])
    const push = apns.pushes[before]
    expect(push).toMatchObject({ token: tokenHex, body: { mdm: `magic-${dev.id}` } })
    expect(push?.headers['content-type']).toBe('application/json')
    expect(push?.headers['apns-topic']).toBeUndefined() // APNs takes the topic from the certificate
    expect(push?.clientSubject).toContain(`UID=${TOPIC}`)
    expect(results[0]).toMatchObject({ apnsId: push?.apnsId })
    expect(await findEnrollment(t.db, dev.id)).toMatchObject({
      lastPushAt: clock.now().getTime(),
      lastPushError: null,
    })
  })

  it('pushes once per enrollment, concurrently, and records a 410 Unregistered and a 400 BadDeviceToken', async () => {
    const devs = await Promise.all(Array.from({ length: 7 }, () => enroll()))
    const [gone, bad] = devs
    apns.answer(gone?.tokenHex ?? '', { status: 410, reason: 'Unregistered' })
    apns.answer(bad?.tokenHex ?? '', { status: 400, reason: 'BadDeviceToken' })
    const before = apns.pushes.length
    const ids = devs.map((d) => d.id)
    const results = await pusherWith({ [TOPIC]: cert }, 3).push([...ids, ...ids])
    expect(results).toHaveLength(7)
    expect(apns.pushes.length - before).toBe(7)
    expect(new Set(apns.pushes.slice(before).map((p) => p.token))).toEqual(
      new Set(devs.map((d) => d.tokenHex)),
    )
    expect(results.find((r) => r.enrollmentId === gone?.id)).toEqual({
      enrollmentId: gone?.id,
      outcome: 'failed',
      status: 410,
      reason: 'Unregistered',
    })
    expect(results.filter((r) => r.outcome === 'sent')).toHaveLength(5)
    expect((await findEnrollment(t.db, gone?.id ?? ''))?.lastPushError).toBe('410 Unregistered')
    expect((await findEnrollment(t.db, bad?.id ?? ''))?.lastPushError).toBe('400 BadDeviceToken')
  })

  it('does not push disabled or unknown enrollments', async () => {
    const dev = await enroll()
    await disableDevice(t.db, dev.id, 0)
    const before = apns.pushes.length
    const results = await pusherWith({ [TOPIC]: cert }).push([dev.id, 'UNKNOWN'])
    expect(results.map((r) => r.outcome)).toEqual(['skipped', 'skipped'])
    expect(apns.pushes.length).toBe(before)
    expect((await findEnrollment(t.db, dev.id))?.lastPushAt).toBeNull()
  })

  it('fails cleanly when APNs refuses the client certificate, and when no certificate exists', async () => {
    const rogue = await (await createTestPki('Not Apple')).issueClient('rogue', TOPIC)
    const dev = await enroll()
    const before = apns.pushes.length
    const pusher = pusherWith({ [TOPIC]: { ...cert, ...rogue, version: 'rogue' } })
    const [refused] = await pusher.push([dev.id])
    expect(refused).toMatchObject({ outcome: 'failed', status: undefined })
    expect(apns.pushes.length).toBe(before)
    expect((await findEnrollment(t.db, dev.id))?.lastPushError).toBeTruthy()

    const [none] = await pusherWith({}).push([dev.id])
    expect(none).toMatchObject({
      outcome: 'failed',
      reason: `no push certificate for topic ${TOPIC}`,
    })
  })

  it('reconnects with the new certificate when the push certificate changes', async () => {
    const dev = await enroll()
    const certs: Record<string, PushCertificate> = { [TOPIC]: cert }
    const pusher = pusherWith(certs)
    await pusher.push([dev.id])
    const renewed = await apns.pki.issueClient('APSP:renewed', TOPIC)
    certs[TOPIC] = { topic: TOPIC, ...renewed, version: '2' }
    await pusher.push([dev.id])
    const [first, second] = apns.pushes.slice(-2)
    expect(first?.clientSubject).toContain('CN=APSP:test')
    expect(second?.clientSubject).toContain('CN=APSP:renewed')
  })

  it('is trusted by another process through NODE_EXTRA_CA_CERTS=caPath (how fleet serve reaches it)', async () => {
    const script = `
      const h2 = require('node:http2')
      const s = h2.connect(process.env.APNS_URL, { cert: process.env.CERT, key: process.env.KEY })
      s.on('error', (e) => { console.log('error ' + e.message); process.exit(1) })
      const req = s.request({ ':method': 'POST', ':path': '/3/device/cafe' })
      req.on('error', (e) => { console.log('error ' + e.message); process.exit(1) })
      req.on('response', (h) => { console.log('status ' + h[':status']); s.close() })
      req.end('{"mdm":"m"}')`
    const run = (extra: Record<string, string>) =>
      new Promise<string>((resolve) => {
        execFile(
          process.execPath,
          ['-e', script],
          { env: { APNS_URL: apns.url, CERT: cert.certPem, KEY: cert.keyPem, ...extra } },
          (_err, stdout) => resolve(stdout.trim()),
        )
      })
    expect(await run({})).toMatch(/^error .*certificate/)
    expect(await run({ NODE_EXTRA_CA_CERTS: apns.caPath })).toBe('status 200')
    expect(apns.pushes.at(-1)).toMatchObject({ token: 'cafe', body: { mdm: 'm' } })
  })

  it('pushes each enrollment once after enqueue', async () => {
    const devs = await Promise.all([enroll(), enroll(), enroll()])
    const queue = createCommandQueue({
      db: t.db,
      clock,
      log: silentLogger(),
      handlers: createResultHandlers(),
      pusher: pusherWith({ [TOPIC]: cert }),
    })
    const before = apns.pushes.length
    const ids = devs.map((d) => d.id)
    const { pushes } = await queue.enqueue(
      [...ids, ids[0] ?? ''],
      encodeCommand(randomUUID(), 'ProfileList'),
    )
    expect(pushes.map((p) => p.outcome)).toEqual(['sent', 'sent', 'sent'])
    expect(
      apns.pushes
        .slice(before)
        .map((p) => p.token)
        .sort(),
    ).toEqual(devs.map((d) => d.tokenHex).sort())
  })
})
