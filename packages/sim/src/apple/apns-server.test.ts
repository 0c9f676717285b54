import { connect, type ClientHttp2Session } from 'node:http2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApnsPki, type ApnsPki } from './apns-pki.js'
import { startApnsServer, type ApnsServer } from './apns-server.js'
import { AppleFleet } from './apple-fleet.js'

let pki: ApnsPki
let other: ApnsPki
let server: ApnsServer
const routed: { token: string; body: unknown }[] = []
const sessions: ClientHttp2Session[] = []

function client(cert: { certPem: string; keyPem: string }): ClientHttp2Session {
  const session = connect(server.url, { ca: pki.ca.certPem, cert: cert.certPem, key: cert.keyPem })
  session.on('error', () => undefined)
  sessions.push(session)
  return session
}

function post(
  session: ClientHttp2Session,
  path: string,
  body: string,
  method = 'POST',
): Promise<{ status: number; body: string; apnsId: string }> {
  return new Promise((resolve, reject) => {
    const req = session.request({
      ':method': method,
      ':path': path,
      'content-type': 'application/json',
    })
    let status = 0
    let apnsId = ''
    let text = ''
    req.on('response', (headers) => {
      status = Number(headers[':status'])
      apnsId = String(headers['apns-id'] ?? '')
    })
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
    req.on('end', () => resolve({ status, body: text, apnsId }))
    req.on('error', reject)
    req.end(body)
  })
}

describe('the fake APNs inside the simulator', () => {
  beforeAll(async () => {
    pki = await createApnsPki('com.apple.mgmt.External.sim-test')
    other = await createApnsPki('com.apple.mgmt.External.other')
    server = await startApnsServer({
      pki,
      port: 0,
      route: (token, body) => {
        routed.push({ token, body })
        return token === 'dead' ? { status: 410, reason: 'Unregistered' } : { status: 200 }
      },
    })
  })
  afterAll(async () => {
    sessions.forEach((s) => s.destroy())
    await server?.close()
  })

  it('routes POST /3/device/<token> {"mdm"} from a client holding the push certificate', async () => {
    const res = await post(client(pki.push), '/3/device/00AB', JSON.stringify({ mdm: 'magic' }))
    expect(res.status).toBe(200)
    expect(res.apnsId).toMatch(/^[0-9A-F-]{36}$/)
    expect(routed.at(-1)).toEqual({ token: '00ab', body: { mdm: 'magic' } })
    const gone = await post(client(pki.push), '/3/device/dead', '{"mdm":"x"}')
    expect(gone.status).toBe(410)
    expect(JSON.parse(gone.body)).toMatchObject({ reason: 'Unregistered' })
  })

  it("answers Apple's reasons to a bad path, method or body, routing nothing", async () => {
    const session = client(pki.push)
    const before = routed.length
    expect(await post(session, '/3/other/00', '{}')).toMatchObject({ status: 404 })
    expect(await post(session, '/3/device/00', '{}', 'PUT')).toMatchObject({ status: 405 })
    const bad = await post(session, '/3/device/00', '{not json')
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ reason: 'BadPayload' })
    expect(JSON.parse((await post(session, '/3/device/00', '')).body)).toMatchObject({
      reason: 'PayloadEmpty',
    })
    expect(routed.length).toBe(before)
  })

  it('refuses in the TLS handshake a client certificate of another CA', async () => {
    const before = routed.length
    const outcome = await post(client(other.push), '/3/device/00', '{"mdm":"x"}').catch(() => ({
      status: -1,
    }))
    // no HTTP answer at all: the stream fails or closes unanswered
    expect([0, -1]).toContain(outcome.status)
    expect(routed.length).toBe(before)
  })

  it('the push certificate names its topic in the subject UID', async () => {
    const { X509Certificate } = await import('node:crypto')
    const cert = new X509Certificate(pki.push.certPem)
    expect(cert.subject).toContain('UID=com.apple.mgmt.External.sim-test')
    expect(cert.verify(new X509Certificate(pki.ca.certPem).publicKey)).toBe(true)
  })
})

describe('AppleFleet.push', () => {
  it('answers 400 BadDeviceToken for a token no enrolled device holds', async () => {
    const fleet = new AppleFleet({
      serverUrl: 'https://127.0.0.1:1',
      enrollToken: 's',
      count: 2,
      seed: 7,
    })
    const token = fleet.members[0]?.device.token.toString('hex') ?? ''
    expect(fleet.push('ffff', { mdm: 'x' })).toEqual({ status: 400, reason: 'BadDeviceToken' })
    // not enrolled yet: its token is not live
    expect(fleet.push(token, { mdm: 'x' })).toEqual({ status: 400, reason: 'BadDeviceToken' })
    expect(fleet.snapshot()).toMatchObject({ pushes: 0, unknownPushes: 2, devices: 2, enrolled: 0 })
    await fleet.stop()
  })
})
