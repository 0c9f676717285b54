import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus, hostname, networkInterfaces, release, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  asRecord,
  assertBuilt,
  FLEETD_BIN,
  jsonClient,
  ROOT,
  startFleetServer,
  waitFor,
  type RunningServer,
} from './support.js'
import { FLEET_API, stopAfterTest, stopProcesses } from '@fleet/test-support'
import { AGENT_VERSION } from '../../packages/agent/src/version.js'

const PASSWORD = 'e2e-password-123!'
const SECRET = 'fleetd-e2e-secret'

/** `fleetd run` as a real process, with its output kept for failure messages. */
interface Agent {
  child: ChildProcess
  root: string
  output(): string
  exited: Promise<number | null>
}

function startFleetd(url: string, cert: string, secret = SECRET, extra: string[] = []): Agent {
  const root = mkdtempSync(join(tmpdir(), 'fleetd-e2e-'))
  const child = stopAfterTest(
    spawn(
      process.execPath,
      [
        FLEETD_BIN,
        'run',
        '--fleet-url',
        url,
        '--enroll-secret',
        secret,
        '--fleet-certificate',
        cert,
        '--root-dir',
        root,
        '--config-interval',
        '2',
        ...extra,
      ],
      { cwd: ROOT, env: { ...process.env, FLEETD_ENROLL_RETRY_INTERVAL: '1' }, stdio: 'pipe' },
    ),
  )
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { child, root, output: () => output, exited }
}

function osRelease(): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const line of readFileSync('/etc/os-release', 'utf8').split('\n')) {
    const match = /^([A-Z_]+)=("?)(.*)\2$/.exec(line)
    if (match?.[1] && match[3] !== undefined) {
      fields[match[1]] = match[3]
    }
  }
  return fields
}

// One fleetd's life, in order even under --sequence.shuffle: enroll, refetch, forgotten, SIGTERM.
describe('fleetd run against fleet serve, real processes', { shuffle: false }, () => {
  let dataDir: string
  let server: RunningServer
  let cert: string
  let api: ReturnType<typeof jsonClient>
  let token: string
  let agent: Agent
  let hostId: number

  const hosts = async () => {
    const res = await api('GET', `${FLEET_API}/hosts`, undefined, token)
    return (res.json.hosts as Record<string, unknown>[] | undefined) ?? []
  }

  beforeAll(async () => {
    assertBuilt()
    dataDir = mkdtempSync(join(tmpdir(), 'fleetd-e2e-server-'))
    server = await startFleetServer(dataDir)
    cert = join(dataDir, 'tls', 'server.crt')
    api = jsonClient(server.url, readFileSync(cert, 'utf8'))
    const setup = await api('POST', '/api/v1/setup', {
      admin: { email: 'admin@example.com', name: 'Admin', password: PASSWORD },
      org_info: { org_name: 'fleetd e2e' },
    })
    token = String(setup.json.token)
    await api(
      'POST',
      `${FLEET_API}/spec/enroll_secret`,
      { spec: { secrets: [{ secret: SECRET }] } },
      token,
    )
  })
  afterAll(async () => {
    // Every fleetd a test started, even one whose test timed out before its finally.
    await stopProcesses()
    await server?.stop()
  })

  it('makes this machine a host with its real vitals within one check-in interval', async () => {
    agent = startFleetd(server.url, cert)
    const host = await waitFor(
      'the host with its vitals',
      async () => {
        const [first] = await hosts()
        // Enrollment already brings os_version and memory (osquery's host_details); kernel
        // and IP come with the first detail-query answers.
        return first && first.os_version && first.kernel_version && first.primary_ip
          ? first
          : undefined
      },
      { timeoutMs: 20_000 },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\nfleetd output:\n${agent.output()}`)
    })
    hostId = Number(host.id)
    const os = osRelease()
    expect(host.hostname).toBe(hostname())
    expect(host.platform).toBe(os.ID)
    expect(String(host.os_version)).toContain(os.NAME ?? '')
    if (os.VERSION_ID) {
      expect(String(host.os_version)).toContain(os.VERSION_ID)
    }
    expect(host.kernel_version).toBe(release())
    const memTotal = /MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]
    expect(host.memory).toBe(Number(memTotal) * 1024)
    expect(host.cpu_logical_cores).toBe(cpus().length)
    expect(Number(host.uptime)).toBeGreaterThan(0)
    const addresses = Object.values(networkInterfaces())
      .flat()
      .map((a) => a?.address)
    expect(addresses).toContain(host.primary_ip)
    expect(host.status).toBe('online')
    expect((await hosts()).length).toBe(1)

    // Orbit's node key is private; its device token opens this same host's "My device" data.
    expect(statSync(join(agent.root, 'secret-orbit-node-key.txt')).mode & 0o777).toBe(0o600)
    const deviceToken = await waitFor('the device token', async () => {
      try {
        return readFileSync(join(agent.root, 'identifier'), 'utf8').trim() || undefined
      } catch {
        return undefined
      }
    })
    const device = await waitFor('the device token to be registered', async () => {
      const res = await api('GET', `${FLEET_API}/device/${deviceToken}`)
      return res.status === 200 ? res.json : undefined
    })
    expect(asRecord(device.host).id).toBe(hostId)
    // Orbit hands its engine the orbit_info table; the detail queries bring its versions.
    const detail = await api('GET', `${FLEET_API}/hosts/${hostId}`, undefined, token)
    expect(asRecord(asRecord(detail.json).host)).toMatchObject({
      orbit_version: AGENT_VERSION,
      fleet_desktop_version: AGENT_VERSION,
      scripts_enabled: false,
    })
  })

  it.runIf(process.getuid?.() === 0)('shows a new local user after a refetch', async () => {
    const user = `fleete2e${randomBytes(3).toString('hex')}`
    // A login shell: Fleet's users query leaves out nologin/false accounts.
    execFileSync('useradd', ['--no-create-home', '--shell', '/bin/sh', user])
    try {
      const refetch = await api('POST', `${FLEET_API}/hosts/${hostId}/refetch`, undefined, token)
      expect(refetch.status).toBe(200)
      await waitFor(`user ${user} on the host`, async () => {
        const res = await api('GET', `${FLEET_API}/hosts/${hostId}`, undefined, token)
        const users = (asRecord(res.json.host).users as Record<string, unknown>[]) ?? []
        return users.some((u) => u.username === user) ? true : undefined
      })
    } finally {
      execFileSync('userdel', [user])
    }
  })

  it('enrolls again, orbit and osquery both, when the server forgets the host', async () => {
    const res = await api('DELETE', `${FLEET_API}/hosts/${hostId}`, undefined, token)
    expect(res.status).toBe(200)
    const again = await waitFor('the host to come back', async () => {
      const [first] = await hosts()
      return first && first.id !== hostId && first.os_version ? first : undefined
    })
    expect(again.hostname).toBe(hostname())
    expect((await hosts()).length).toBe(1)
    await waitFor('orbit to re-enroll', async () =>
      /orbit node key refused; enrolling again/.test(agent.output()) ? true : undefined,
    )
  })

  it('stops cleanly on SIGTERM, its osquery engine with it', async () => {
    const pid = Number(readFileSync(join(agent.root, 'osquery.pid'), 'utf8'))
    agent.child.kill('SIGTERM')
    expect(await agent.exited).toBe(0)
    expect(() => process.kill(pid, 0)).toThrow()
  })

  it("supervises a real osqueryd from --osqueryd-path with the flags Fleet's orbit passes", async () => {
    // No osquery package can be installed here: a stand-in executable records what it was given.
    const bin = mkdtempSync(join(tmpdir(), 'fake-osqueryd-'))
    const record = join(bin, 'invocation.txt')
    const osqueryd = join(bin, 'osqueryd')
    writeFileSync(
      osqueryd,
      `#!/bin/sh\nprintf '%s\\n' "$@" > ${record}\necho "secret-set=\${ENROLL_SECRET:+yes}" >> ${record}\nexec sleep 60\n`,
      { mode: 0o755 },
    )
    const real = startFleetd(server.url, cert, SECRET, ['--osqueryd-path', osqueryd])
    try {
      const args = await waitFor('osqueryd to be started', async () => {
        try {
          const text = readFileSync(record, 'utf8')
          return text.includes('secret-set=') ? text.split('\n') : undefined
        } catch {
          return undefined
        }
      })
      const host = new URL(server.url).host
      expect(args).toContain(`--tls_hostname=${host}`)
      expect(args).toContain('--enroll_secret_env=ENROLL_SECRET')
      expect(args).toContain('--enroll_tls_endpoint=/api/v1/osquery/enroll')
      expect(args).toContain('--config_plugin=tls')
      expect(args).toContain(`--tls_server_certs=${cert}`)
      expect(args).toContain('--host_identifier=uuid')
      expect(args).toContain(`--database_path=${join(real.root, 'osquery.db')}`)
      expect(args).not.toContain('osqueryd')
      expect(args).toContain('secret-set=yes')
      expect(args.join(' ')).not.toContain(SECRET)
    } finally {
      real.child.kill('SIGTERM')
      expect(await real.exited).toBe(0)
    }
  })

  it('reports a wrong enroll secret clearly and keeps retrying', async () => {
    const wrong = startFleetd(server.url, cert, 'not-the-secret')
    try {
      await waitFor('two enroll attempts', async () =>
        (wrong.output().match(/enroll refused: the enroll secret is not valid/g) ?? []).length >= 2
          ? true
          : undefined,
      )
      expect(wrong.output()).not.toContain('not-the-secret')
      expect(wrong.child.exitCode).toBeNull()
    } finally {
      wrong.child.kill('SIGTERM')
      await wrong.exited
    }
  })
})
