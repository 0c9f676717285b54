import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stopProcesses, waitFor } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  assertBuilt,
  fleetctl,
  ROOT,
  startFleetServer,
  type FleetctlResult,
  type RunningServer,
} from './support.js'

// fleetctl query, and query/policy specs, against the real `fleet serve` with simulated hosts.

const SECRET = 'query-e2e-secret'
const SPECS = `---
apiVersion: v1
kind: query
spec:
  name: OS name
  description: What the hosts run
  query: SELECT name FROM os_version
  interval: 3600
  observer_can_run: true
---
apiVersion: v1
kind: policy
spec:
  name: Any os_version
  query: SELECT 1 FROM os_version
  resolution: Nothing to do
`

let dir: string
let server: RunningServer | undefined
let sim: ChildProcess | undefined

const run = (...args: string[]): Promise<FleetctlResult> => fleetctl(join(dir, 'config'), dir, args)

async function ok(...args: string[]): Promise<string> {
  const res = await run(...args)
  if (res.code !== 0) {
    throw new Error(`fleetctl ${args.join(' ')} exited ${res.code}\n${res.stdout}\n${res.stderr}`)
  }
  return res.stdout
}

/** The JSON lines of `fleetctl query` output, one object per host. */
function resultLines(stdout: string): { host: string; rows: Record<string, string>[] }[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { host: string; rows: Record<string, string>[] })
}

describe('fleetctl query and query/policy specs', () => {
  beforeAll(async () => {
    assertBuilt()
    dir = await mkdtemp(join(tmpdir(), 'fleetctl-query-e2e-'))
    server = await startFleetServer(join(dir, 'data'))
    await ok('config', 'set', '--address', server.url, '--tls-skip-verify')
    await ok(
      'setup',
      '--email',
      'admin@example.com',
      '--name',
      'Admin',
      '--password',
      'admin-p4ssw0rd!',
      '--org-name',
      'Query e2e',
    )
    const secrets = join(dir, 'secret.yml')
    await writeFile(
      secrets,
      `apiVersion: v1\nkind: enroll_secret\nspec:\n  secrets:\n    - secret: ${SECRET}\n`,
    )
    await ok('apply', '-f', secrets)
    sim = spawn(
      process.execPath,
      [
        'packages/sim/bin/fleet-sim.js',
        '--server-url',
        server.url,
        '--enroll-secret',
        SECRET,
        '--insecure',
        '--host-count',
        '3',
        '--start-period',
        '1',
        '--query-interval',
        '1',
      ],
      { cwd: ROOT, stdio: 'ignore' },
    )
    await waitFor(
      'the simulated hosts to enroll',
      async () => (await ok('get', 'hosts', '--json')).includes('sim-ubuntu-22-04-3'),
      { timeoutMs: 30_000, intervalMs: 250 },
    )
  })

  afterAll(async () => {
    sim?.kill('SIGTERM')
    await stopProcesses()
    await server?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('streams a live query to all hosts as JSON lines, with a progress line', async () => {
    const res = await run(
      'query',
      '--query',
      'SELECT 1 AS one',
      '--labels',
      'All Hosts',
      '--exit',
      '--timeout',
      '30s',
    )
    expect(res.code, res.stderr).toBe(0)
    const lines = resultLines(res.stdout)
    expect(lines.map((l) => l.host).sort()).toEqual([
      'sim-ubuntu-22-04-1',
      'sim-ubuntu-22-04-2',
      'sim-ubuntu-22-04-3',
    ])
    expect(lines[0]?.rows[0]).toMatchObject({ host_hostname: lines[0]?.host })
    expect(res.stderr).toContain('100% responded (100% online) | 3/3 targeted hosts')
  })

  it('targets one host by name, and refuses unknown labels and missing targets', async () => {
    const one = await run('query', '--query', 'SELECT 1', '--hosts', 'sim-ubuntu-22-04-2', '--exit')
    expect(one.code, one.stderr).toBe(0)
    expect(resultLines(one.stdout).map((l) => l.host)).toEqual(['sim-ubuntu-22-04-2'])
    const badLabel = await run('query', '--query', 'SELECT 1', '--labels', 'No such label')
    expect(badLabel.code).toBe(1)
    const none = await run('query', '--query', 'SELECT 1')
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('no targets')
  })

  it('applies query and policy specs, runs the saved query by name, then deletes them', async () => {
    const specs = join(dir, 'specs.yml')
    await writeFile(specs, SPECS)
    const applied = await ok('apply', '-f', specs)
    expect(applied).toContain('[+] applied 1 policies')
    expect(applied).toContain('[+] applied 1 queries')
    expect(await ok('get', 'queries')).toContain('OS name')
    expect(await ok('get', 'queries', '--yaml')).toContain('query: SELECT name FROM os_version')

    const saved = await run('query', '--query-name', 'OS name', '--labels', 'All Hosts', '--exit')
    expect(saved.code, saved.stderr).toBe(0)
    expect(resultLines(saved.stdout)).toHaveLength(3)

    const deleted = await ok('delete', '-f', specs)
    expect(deleted).toContain('[+] deleting query "OS name"')
    expect(deleted).toContain('[+] deleting policy "Any os_version"')
    expect(await ok('get', 'queries')).toContain('No global queries found.')
  })
})
