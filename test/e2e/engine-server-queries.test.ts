/**
 * The engine must answer every detail and label query the server sends to Linux hosts. This runs
 * the server's own query definitions against the real engine on this machine and feeds the rows to
 * the server's own ingest functions.
 */
import { readFileSync } from 'node:fs'
import { hostname, release, uptime } from 'node:os'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../packages/agent/src/osquery/engine/index.js'
import type { Row } from '../../packages/agent/src/osquery/engine/index.js'
import { TEST_CONTEXT } from '../../packages/agent/src/osquery/engine/test-fixtures/fixture-root.js'
import { up as labelsMigration } from '../../packages/server/src/db/migrations/20261121020000_labels.js'
import { DETAIL_QUERIES } from '../../packages/server/src/features/hosts/detail-queries.js'
import { isLinux } from '../../packages/server/src/features/hosts/host.js'
import { createKysely } from '../../packages/server/src/platform/db/index.js'

const engine = createEngine(TEST_CONTEXT)
/** The engine as fleetd's orbit runs it, with the orbit_info table. */
const orbitEngine = createEngine({
  ...TEST_CONTEXT,
  orbit: {
    version: '1.40.0',
    desktopVersion: '1.40.0',
    scriptsEnabled: false,
    channels: { orbit: 'stable', osqueryd: 'stable', desktop: 'stable' },
    startedAt: Date.now(),
  },
})
const osRelease = readFileSync('/etc/os-release', 'utf8')
const osId = osRelease.match(/^ID="?([^"\n]*)"?$/m)?.[1] ?? ''
const osName = osRelease.match(/^NAME="?([^"\n]*)"?$/m)?.[1] ?? ''
const platform = isLinux(osId) ? osId : 'linux'

interface Label {
  name: string
  query: string
}
let labels: Label[] = []

beforeAll(async () => {
  // The built-in labels live in their migration; run it on a scratch SQLite database to read them.
  const db = createKysely<unknown>({ dialect: 'sqlite', path: ':memory:' })
  await labelsMigration(db)
  const result = await sql<Label>`SELECT name, query FROM labels ORDER BY id`.execute(db)
  labels = result.rows
  await db.destroy()
})

afterAll(() => {
  engine.close()
  orbitEngine.close()
})

function run(query: string): Row[] {
  const outcome = engine.query(query)
  if (outcome.status !== 0) {
    throw new Error(`${query}\n→ ${outcome.error}`)
  }
  return outcome.rows
}

const linuxDetailQueries = DETAIL_QUERIES.filter((q) => q.sql(platform) !== undefined)

function detail(name: string): { rows: Row[]; vitals: Record<string, unknown> } {
  const query = DETAIL_QUERIES.find((q) => q.name === name)
  const text = query?.sql(platform)
  if (!query || text === undefined) {
    throw new Error(`no ${name} detail query for ${platform}`)
  }
  const rows = run(text)
  const result = query.ingest(rows, { now: Date.now(), previous: { lastRestartedAt: 0 } })
  return { rows, vitals: { ...result.vitals, users: result.users } }
}

describe('detail queries for Linux', () => {
  it('covers the Linux detail queries', () => {
    expect(linuxDetailQueries.map((q) => q.name)).toEqual(
      expect.arrayContaining(['os_version', 'system_info', 'uptime', 'users', 'disk_space_unix']),
    )
  })

  it.each(linuxDetailQueries.map((q) => [q.name, q] as const))(
    '%s runs (status 0)',
    (_name, query) => {
      const discovery = query.discovery ? engine.query(query.discovery) : undefined
      expect(discovery?.status ?? 0).toBe(0)
      // osquery runs the query only when its discovery query returns a row (orbit_info: under orbit).
      const engineFor =
        discovery?.status === 0 && discovery.rows.length === 0 ? orbitEngine : engine
      const outcome = engineFor.query(query.sql(platform) ?? '')
      expect(outcome).toMatchObject({ status: 0 })
    },
  )

  it("orbit_info gives the host orbit's versions under orbit", () => {
    const query = DETAIL_QUERIES.find((q) => q.name === 'orbit_info')
    expect(query?.discovery && orbitEngine.query(query.discovery)).toMatchObject({
      status: 0,
      rows: [{ '1': '1' }],
    })
    const outcome = orbitEngine.query(query?.sql(platform) ?? '')
    const rows = outcome.status === 0 ? outcome.rows : []
    expect(query?.ingest(rows, { now: Date.now(), previous: { lastRestartedAt: 0 } })).toEqual({
      orbit: { version: '1.40.0', desktopVersion: '1.40.0', scriptsEnabled: false },
    })
  })

  it('os_version names the distribution as /etc/os-release does', () => {
    const { rows, vitals } = detail('os_version')
    expect(rows[0]?.name).toBe(osName)
    expect(rows[0]?.platform).toBe(osId)
    expect(vitals.osVersion).toContain(osName)
  })

  it('system_info reports the hostname and memory', () => {
    const { vitals } = detail('system_info')
    const memTotalKb = Number(
      readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+)/m)?.[1],
    )
    expect(vitals.hostname).toBe(hostname())
    expect(vitals.memory).toBe(memTotalKb * 1024)
    expect(vitals.uuid).not.toBe('')
    expect(Number(vitals.cpuLogicalCores)).toBeGreaterThan(0)
  })

  it('uptime, kernel version and osquery version', () => {
    expect(Math.abs(Number(detail('uptime').vitals.uptimeSeconds) - uptime())).toBeLessThan(5)
    expect(detail('os_unix_like').vitals.kernelVersion).toBe(release())
    expect(detail('osquery_info').vitals.osqueryVersion).toBe(TEST_CONTEXT.version)
    expect(detail('osquery_flags').vitals).toMatchObject({
      distributedInterval: 10,
      configTlsRefresh: 60,
      loggerTlsPeriod: 10,
    })
  })

  it('disk space comes from the root mount', () => {
    const { vitals } = detail('disk_space_unix')
    expect(Number(vitals.gigsTotalDiskSpace)).toBeGreaterThan(0)
    expect(Number(vitals.percentDiskSpaceAvailable)).toBeGreaterThan(0)
    expect(Number(vitals.percentDiskSpaceAvailable)).toBeLessThanOrEqual(100)
  })

  it('users include root with its group', () => {
    const { vitals } = detail('users')
    expect(vitals.users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ uid: 0, username: 'root', groupname: 'root' }),
      ]),
    )
  })
})

describe('built-in label queries', () => {
  const expectedMatch = (name: string): boolean => {
    switch (name) {
      case 'All Hosts':
      case 'All Linux':
        return true
      case 'Ubuntu Linux':
        return osId === 'ubuntu'
      case 'CentOS Linux':
        return osId === 'centos' || /centos/i.test(osName)
      case 'Red Hat Linux':
        return /red hat/i.test(osName)
      default:
        return false
    }
  }

  it('every label query runs, and matches exactly when it should', () => {
    expect(labels.length).toBeGreaterThanOrEqual(8)
    for (const label of labels) {
      const rows = run(label.query)
      expect({ label: label.name, matches: rows.length > 0 }).toEqual({
        label: label.name,
        matches: expectedMatch(label.name),
      })
    }
  })
})
