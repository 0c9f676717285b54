import 'reflect-metadata'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SimulatedAppleDevice } from '@fleet/sim'
import { stopProcesses } from '@fleet/test-support'
import * as plist from 'plist'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pushCertificate } from './apple-push-cert.js'
import {
  adminApi,
  assertBuilt,
  fleetctlIn,
  startFleetServer,
  type RunningServer,
} from './support.js'

// A simulated Mac enrolls in Apple MDM against the embedded `fleet serve` over HTTPS (profile,
// SCEP, signed check-ins), becomes a host with its MDM status, and answers a command run with
// fleetctl when it polls (no APNs here: the push fails and is recorded; the poll stands in for it).

const PASSWORD = 'admin-p4ssw0rd!'
const SECRET = 'mdm-device-e2e-secret'

let dir: string
let server: RunningServer | undefined
let api: Awaited<ReturnType<typeof adminApi>>
const devices: SimulatedAppleDevice[] = []
const { ok } = fleetctlIn(
  () => dir,
  () => server,
)

interface HostJson {
  id: number
  uuid: string
  hardware_serial: string
  platform: string
  mdm?: { enrollment_status: string | null; name: string; server_url: string | null }
}

describe('a simulated Apple device against fleet serve', { shuffle: false }, () => {
  beforeAll(async () => {
    assertBuilt()
    dir = await mkdtemp(join(tmpdir(), 'fleet-e2e-mdm-device-'))
    server = await startFleetServer(join(dir, 'data'))
    api = await adminApi(server, join(dir, 'data'), {
      password: PASSWORD,
      orgName: 'MDM Device Org',
      enrollSecret: SECRET,
    })
    await api('PATCH', '/api/latest/fleet/config', { server_settings: { server_url: server.url } })
    await ok('config', 'set', '--address', server.url, '--tls-skip-verify')
    await ok('login', '--email', 'admin@example.com', '--password', PASSWORD)
    const push = await pushCertificate(`com.apple.mgmt.External.${randomUUID()}`)
    await writeFile(join(dir, 'push.pem'), push.cert)
    await writeFile(join(dir, 'push.key'), push.key)
    await ok(
      'mdm',
      'upload-apns-certificate',
      '--certificate',
      'push.pem',
      '--private-key',
      'push.key',
    )
  })

  afterAll(async () => {
    await Promise.all(devices.map((d) => d.close()))
    await stopProcesses()
    await server?.stop()
    if (dir) {
      await rm(dir, { recursive: true, force: true })
    }
  })

  async function newDevice(seed: number): Promise<SimulatedAppleDevice> {
    const ca = await readFile(join(dir, 'data', 'tls', 'server.crt'), 'utf8')
    const device = new SimulatedAppleDevice({
      fleetUrl: server?.url ?? '',
      enrollToken: SECRET,
      seed,
      ca,
    })
    devices.push(device)
    return device
  }

  async function hostOf(device: SimulatedAppleDevice): Promise<HostJson> {
    const res = (await api('GET', `/api/latest/fleet/hosts/identifier/${device.facts.serial}`)) as {
      host: HostJson
    }
    return res.host
  }

  it('enrolls (profile, SCEP, Authenticate, TokenUpdate) and becomes a macOS host with MDM On (manual)', async () => {
    const device = await newDevice(1)
    expect(new SimulatedAppleDevice({ fleetUrl: '', enrollToken: '', seed: 1 }).facts).toEqual(
      device.facts,
    )
    await device.enroll()
    const host = await hostOf(device)
    expect(host).toMatchObject({ uuid: device.facts.udid, platform: 'darwin' })
    expect(host.mdm).toEqual({
      encryption_key_available: false,
      enrollment_status: 'On (manual)',
      dep_profile_error: false,
      name: 'Fleet',
      server_url: `${server?.url}/mdm/apple/mdm`,
    })
    // Nothing queued: an Idle poll ends with an empty answer.
    expect(await device.poll()).toEqual([])
  })

  it('answers a command run with fleetctl on its next poll, and the result is readable', async () => {
    const device = devices[0]
    if (!device) {
      throw new Error('no enrolled device')
    }
    const uuid = randomUUID()
    const payload = plist.build({
      CommandUUID: uuid,
      Command: { RequestType: 'DeviceInformation', Queries: ['UDID', 'SerialNumber', 'OSVersion'] },
    })
    await writeFile(join(dir, 'devinfo.xml'), payload)
    await ok('mdm', 'run-command', '--hosts', device.facts.serial, '--payload', 'devinfo.xml')
    expect(await device.poll()).toEqual(['DeviceInformation'])
    const results = await ok('get', 'mdm-command-results', `--id=${uuid}`)
    expect(results).toContain('Acknowledged')
    expect(results).toContain(device.facts.udid)
  })

  it('a device answering NotNow is offered the command again; CheckOut turns MDM Off', async () => {
    const device = await newDevice(2)
    await device.enroll()
    const uuid = randomUUID()
    await writeFile(
      join(dir, 'profiles.xml'),
      plist.build({ CommandUUID: uuid, Command: { RequestType: 'ProfileList' } }),
    )
    await ok('mdm', 'run-command', '--hosts', device.facts.serial, '--payload', 'profiles.xml')
    device.answerMode = 'not-now'
    expect(await device.poll()).toEqual(['ProfileList'])
    device.answerMode = 'acknowledge'
    expect(await device.poll()).toEqual(['ProfileList'])
    expect(await device.poll()).toEqual([])
    expect((await device.checkOut()).status).toBe(200)
    expect((await hostOf(device)).mdm?.enrollment_status).toBe('Off')
  })
})
