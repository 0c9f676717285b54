import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { scepEnroll, undiciScepHttp } from '@fleet/sim'
import { stopProcesses } from '@fleet/test-support'
import * as plist from 'plist'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pushCertificate } from './apple-push-cert.js'
import {
  adminApi,
  assertBuilt,
  fleetctlIn,
  startFleetServer,
  type RunningServer,
} from './support.js'

// Apple MDM set-up from the CLI against the embedded `fleet serve`: zero configuration (the
// server generates its private key), fleetctl generate / upload / get, then the device-facing
// enrollment profile and SCEP endpoints over HTTPS, and the sealed assets still readable after a
// restart.

const PASSWORD = 'admin-p4ssw0rd!'
const SECRET = 'mdm-e2e-secret'

let dir: string
let server: RunningServer | undefined
const { ok } = fleetctlIn(
  () => dir,
  () => server,
)

async function get(path: string): Promise<{ status: number; type: string; body: Buffer }> {
  const ca = await readFile(join(dir, 'data', 'tls', 'server.crt'), 'utf8')
  const res = await request(`${server?.url}${path}`, { dispatcher: new Agent({ connect: { ca } }) })
  return {
    status: res.statusCode,
    type: String(res.headers['content-type']),
    body: Buffer.from(await res.body.arrayBuffer()),
  }
}

describe('Apple MDM set-up with fleetctl against fleet serve', { shuffle: false }, () => {
  const topic = `com.apple.mgmt.External.${randomUUID()}`

  beforeAll(async () => {
    assertBuilt()
    dir = await mkdtemp(join(tmpdir(), 'fleet-e2e-mdm-'))
    server = await startFleetServer(join(dir, 'data'))
    const api = await adminApi(server, join(dir, 'data'), {
      password: PASSWORD,
      orgName: 'MDM Org',
      enrollSecret: SECRET,
    })
    // the URL the enrollment profile points devices at
    await api('PATCH', '/api/latest/fleet/config', { server_settings: { server_url: server.url } })
    await ok('config', 'set', '--address', server.url, '--tls-skip-verify')
    await ok('login', '--email', 'admin@example.com', '--password', PASSWORD)
  })

  afterAll(async () => {
    await stopProcesses()
    await server?.stop()
    if (dir) {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('generates the server private key and the APNs CSR with no configuration', async () => {
    const out = await ok('generate', 'mdm-apple', '--csr', 'apns.csr')
    expect(out).toContain('Generated your certificate signing request (CSR) at apns.csr')
    expect(await readFile(join(dir, 'apns.csr'), 'utf8')).toContain('BEGIN CERTIFICATE REQUEST')
    const key = await stat(join(dir, 'data', 'server_private_key'))
    expect(key.mode & 0o777).toBe(0o600)
  })

  it('uploads the push certificate, which turns MDM on', async () => {
    const push = await pushCertificate(topic)
    await writeFile(join(dir, 'push.pem'), push.cert)
    await writeFile(join(dir, 'push.key'), push.key)
    expect(
      await ok(
        'mdm',
        'upload-apns-certificate',
        '--certificate',
        'push.pem',
        '--private-key',
        'push.key',
      ),
    ).toContain('Apple MDM is turned on')
    expect(await ok('get', 'mdm_apple')).toContain(topic)
  })

  it('serves the signed enrollment profile and the SCEP CA to devices', async () => {
    const profile = await get(`/api/mdm/apple/enroll?token=${SECRET}`)
    expect(profile.status).toBe(200)
    expect(profile.type).toBe('application/x-apple-aspen-config')
    expect(profile.body[0]).toBe(0x30) // a DER SignedData
    expect(profile.body.toString('latin1')).toContain(topic)
    expect((await get('/api/mdm/apple/enroll?token=nope')).status).toBe(403)

    const caps = await get('/mdm/apple/scep?operation=GetCACaps')
    expect(caps.body.toString()).toContain('POSTPKIOperation')
    const ca = await get('/mdm/apple/scep?operation=GetCACert')
    expect(new x509.X509Certificate(ca.body).subject).toContain('Fleet SCEP CA')
  })

  it("enrolls a simulated device's identity with the profile's SCEP URL and challenge", async () => {
    const signed = (await get(`/api/mdm/apple/enroll?token=${SECRET}`)).body.toString('utf8')
    const xml = signed.slice(
      signed.indexOf('<?xml'),
      signed.indexOf('</plist>') + '</plist>'.length,
    )
    const profile = plist.parse(xml) as {
      PayloadContent: { PayloadContent?: { URL: string; Challenge: string } }[]
    }
    const scep = profile.PayloadContent[0]?.PayloadContent
    expect(scep?.URL).toBe(`${server?.url}/mdm/apple/scep`)
    const ca = await readFile(join(dir, 'data', 'tls', 'server.crt'), 'utf8')
    const identity = await scepEnroll(undiciScepHttp(ca), {
      url: scep?.URL ?? '',
      challenge: scep?.Challenge ?? '',
      commonName: 'fleet-testdevice-e2e',
    })
    expect(identity.certificate.subject).toBe('CN=fleet-testdevice-e2e')
    const issuer = new x509.X509Certificate(identity.caDer)
    expect(
      await identity.certificate.verify({ publicKey: issuer.publicKey, signatureOnly: true }),
    ).toBe(true)
    await expect(
      scepEnroll(undiciScepHttp(ca), { url: scep?.URL ?? '', challenge: 'wrong', commonName: 'x' }),
    ).rejects.toMatchObject({ detail: { pkiStatus: '2', failInfo: '2' } })
  })

  it('reads its sealed assets again after a restart (the key was kept)', async () => {
    const before = (await get('/mdm/apple/scep?operation=GetCACert')).body
    await server?.stop()
    server = await startFleetServer(join(dir, 'data'))
    await ok('config', 'set', '--address', server.url, '--tls-skip-verify')
    expect(await ok('get', 'mdm_apple')).toContain(topic)
    expect((await get('/mdm/apple/scep?operation=GetCACert')).body.equals(before)).toBe(true)
  })
})
