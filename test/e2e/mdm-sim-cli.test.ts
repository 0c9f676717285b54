import 'reflect-metadata'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateApnsFiles, type ApnsFiles } from '@fleet/sim'
import { stopAfterTest, stopProcesses } from '@fleet/test-support'
import * as plist from 'plist'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adminApi,
  assertBuilt,
  fleetctlIn,
  ROOT,
  startFleetServer,
  waitFor,
  type RunningServer,
} from './support.js'

// The `fleet-sim` command with osquery hosts and Macs that are the same machines
// (--apple-as-hosts) and its own fake APNs (--apns-listen): Fleet sees one host per machine,
// with osquery data and MDM on, and its pushes reach the Macs through the simulator's APNs.

const PASSWORD = 'admin-p4ssw0rd!'
const SECRET = 'mdm-sim-cli-secret'
const SIM_BIN = `${ROOT}packages/sim/bin/fleet-sim.js`

interface HostJson {
  uuid: string
  hardware_serial: string
  osquery_version: string
  mdm?: { enrollment_status: string | null }
}

function freePort(): Promise<number> {
  const server = createServer()
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    }),
  )
}

describe('fleet-sim --apple-devices --apple-as-hosts --apns-listen against fleet serve', () => {
  let dir: string
  let server: RunningServer | undefined
  let api: Awaited<ReturnType<typeof adminApi>>
  let files: ApnsFiles
  let sim: ChildProcess | undefined
  let simOut = ''
  let port: number
  const { ok } = fleetctlIn(
    () => dir,
    () => server,
  )

  beforeAll(async () => {
    assertBuilt()
    dir = await mkdtemp(join(tmpdir(), 'fleet-e2e-mdm-sim-cli-'))
    // the PKI the simulator will reuse, made first so Fleet can start trusting its CA
    files = await loadOrCreateApnsFiles(join(dir, 'apns'))
    port = await freePort()
    server = await startFleetServer(join(dir, 'data'), 60_000, {
      FLEET_MDM_APPLE_APNS_URL: `https://127.0.0.1:${port}`,
      NODE_EXTRA_CA_CERTS: files.caPath,
    })
    api = await adminApi(server, join(dir, 'data'), {
      password: PASSWORD,
      orgName: 'Sim CLI',
      enrollSecret: SECRET,
    })
    await api('PATCH', '/api/latest/fleet/config', { server_settings: { server_url: server.url } })
    await ok('config', 'set', '--address', server.url, '--tls-skip-verify')
    await ok('login', '--email', 'admin@example.com', '--password', PASSWORD)
    await ok(
      'mdm',
      'upload-apns-certificate',
      '--certificate',
      files.pushCertPath,
      '--private-key',
      files.pushKeyPath,
    )
  }, 120_000)

  afterAll(async () => {
    await stopProcesses()
    await server?.stop()
    if (dir) {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('one host per machine with osquery data and MDM on; a command reaches the Macs by push', async () => {
    sim = stopAfterTest(
      spawn(
        process.execPath,
        [
          SIM_BIN,
          ...['--server-url', server?.url ?? '', '--ca', join(dir, 'data', 'tls', 'server.crt')],
          ...['--enroll-secret', SECRET, '--seed', '5', '--start-period', '0'],
          ...['--host-count', '2', '--os-templates', 'mac10.14.6'],
          ...['--query-interval', '1', '--config-interval', '2', '--logger-interval', '2'],
          ...['--apple-devices', '2', '--apple-as-hosts'],
          ...['--apns-listen', String(port), '--apns-dir', join(dir, 'apns')],
          ...['--stats-interval', '1', '--json'],
        ],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    )
    let simErr = ''
    sim.stdout?.on('data', (c: Buffer) => (simOut += c.toString('utf8')))
    sim.stderr?.on('data', (c: Buffer) => (simErr += c.toString('utf8')))
    const hosts = await waitFor(
      'two hosts, each with osquery data and MDM on',
      async () => {
        const { hosts } = (await api('GET', '/api/latest/fleet/hosts?per_page=50')) as {
          hosts: HostJson[]
        }
        const both = hosts.filter((h) => h.osquery_version !== '')
        const details = await Promise.all(
          both.map(
            async (h) =>
              (
                (await api('GET', `/api/latest/fleet/hosts/identifier/${h.uuid}`)) as {
                  host: HostJson
                }
              ).host,
          ),
        )
        return (
          hosts.length === 2 &&
          details.every((h) => h.mdm?.enrollment_status === 'On (manual)') &&
          details.length === 2 &&
          details
        )
      },
      { timeoutMs: 120_000, intervalMs: 1000 },
    ).catch((err: unknown) => {
      throw new Error(
        `${String(err)}\nfleet-sim stderr:\n${simErr}\nstdout:\n${simOut.slice(-2000)}`,
      )
    })
    expect(simErr).toContain('(push certificate')
    expect(simErr).toContain('reused')

    const uuid = randomUUID()
    await writeFile(
      join(dir, 'devinfo.xml'),
      plist.build({
        CommandUUID: uuid,
        Command: { RequestType: 'DeviceInformation', Queries: ['SerialNumber'] },
      }),
    )
    const serials = hosts.map((h) => h.hardware_serial)
    await ok('mdm', 'run-command', '--hosts', serials.join(','), '--payload', 'devinfo.xml')
    await waitFor('both Macs acknowledged', async () => {
      const res = await api('GET', `/api/latest/fleet/commands/results?command_uuid=${uuid}`)
      const rows = res.results as { status: string }[]
      return rows.filter((r) => r.status === 'Acknowledged').length === 2
    })

    const running = sim
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve())
      running.kill('SIGTERM')
    })
    const lines = simOut
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    const summary = lines.find((l) => l.type === 'mdm-summary')
    expect(summary).toMatchObject({ devices: 2, enrolled: 2, unknownPushes: 0, errors: 0 })
    expect(Number(summary?.pushes)).toBeGreaterThanOrEqual(2)
    expect(lines.find((l) => l.type === 'summary')).toMatchObject({ hosts: 2, enrolled: 2 })
  }, 240_000)
})
