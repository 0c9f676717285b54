import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulation } from '../../packages/sim/src/index.js'
import { adminApi, assertBuilt, startFleetServer, waitFor, type RunningServer } from './support.js'

const PASSWORD = 'sim-e2e-password-1!'
const SECRET = 'sim-e2e-secret'
const HOSTS = 40

describe('simulated osquery hosts against a real fleet serve', () => {
  let server: RunningServer
  let api: Awaited<ReturnType<typeof adminApi>>
  let dataDir: string

  beforeAll(async () => {
    assertBuilt()
    dataDir = mkdtempSync(join(tmpdir(), 'fleet-sim-e2e-'))
    server = await startFleetServer(dataDir)
    api = await adminApi(server, dataDir, {
      password: PASSWORD,
      orgName: 'Sim',
      enrollSecret: SECRET,
    })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('enrolls every host, ingests their vitals and label answers, with no errors', async () => {
    const simulation = createSimulation({
      serverUrl: server.url,
      enrollSecret: SECRET,
      ca: readFileSync(join(dataDir, 'tls', 'server.crt'), 'utf8'),
      hostCount: HOSTS,
      osTemplates: [
        { name: 'ubuntu_22.04', weight: 2 },
        { name: 'windows_11', weight: 1 },
        { name: 'mac10.14.6', weight: 1 },
      ],
      startPeriodMs: 1000,
      queryIntervalMs: 500,
      configIntervalMs: 1000,
      loggerIntervalMs: 1000,
      seed: 7,
    })
    await simulation.start()
    // Until every host has enrolled and answered its first distributed queries (the vitals and
    // labels checked below come from those answers).
    await waitFor('every host to enroll and answer', async () => {
      if (simulation.stats().enrolled !== HOSTS) {
        return false
      }
      const { hosts } = await api('GET', '/api/latest/fleet/hosts?per_page=100')
      const answered = (hosts as Record<string, unknown>[]).filter((h) => h.osquery_version !== '')
      return answered.length === HOSTS
    })
    const stats = await simulation.stop()

    expect(stats.enrolled).toBe(HOSTS)
    expect(
      stats.all.httpErrors +
        stats.all.networkErrors +
        stats.all.badResponses +
        stats.internalErrors,
    ).toBe(0)
    expect(stats.endpoints.distributed_write.ok).toBeGreaterThanOrEqual(HOSTS)

    const summary = await api('GET', '/api/latest/fleet/host_summary')
    expect(summary).toMatchObject({ totals_hosts_count: HOSTS, online_count: HOSTS })
    expect(summary.platforms).toEqual([
      { platform: 'darwin', hosts_count: 10 },
      { platform: 'ubuntu', hosts_count: 20 },
      { platform: 'windows', hosts_count: 10 },
    ])
    const hosts = (await api('GET', '/api/latest/fleet/hosts?per_page=100')).hosts as Record<
      string,
      unknown
    >[]
    expect(new Set(hosts.map((h) => h.uuid)).size).toBe(HOSTS)
    const windows = hosts.find((h) => h.platform === 'windows')
    expect(windows).toMatchObject({
      os_version: expect.stringContaining('Windows'),
      osquery_version: expect.any(String),
    })
    expect(String(windows?.primary_ip)).not.toBe('')
    // The templates answer the built-in label queries by Fleet's ids: macOS (7) for the macs.
    const labels = (await api('GET', '/api/latest/fleet/labels')).labels as {
      name: string
      host_count: number
    }[]
    expect(labels.find((l) => l.name === 'macOS')?.host_count).toBe(10)
    expect(labels.find((l) => l.name === 'MS Windows')?.host_count).toBe(10)
  })
})
