import { createHash } from 'node:crypto'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { availableParallelism, hostname, networkInterfaces, uptime } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../create-engine.js'
import type { Row } from '../engine.js'
import { TEST_CONTEXT } from '../test-fixtures/fixture-root.js'

const engine = createEngine(TEST_CONTEXT)

function rows(sql: string): Row[] {
  const outcome = engine.query(sql)
  if (outcome.status !== 0) {
    throw new Error(`query failed: ${outcome.error}`)
  }
  return outcome.rows
}

const meminfoKb = (key: string): number =>
  Number(readFileSync('/proc/meminfo', 'utf8').match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1])

let server: Server
let port = 0

beforeAll(async () => {
  server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  port = typeof address === 'object' && address ? address.port : 0
})

afterAll(async () => {
  engine.close()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('the engine on this machine', () => {
  it('names the OS as /etc/os-release does', () => {
    const name = readFileSync('/etc/os-release', 'utf8').match(/^NAME="?([^"\n]*)"?$/m)?.[1]
    expect(rows('SELECT name FROM os_version')).toEqual([{ name }])
  })

  it('reports hostname, CPUs and memory as Node sees them', () => {
    const [row] = rows('SELECT hostname, cpu_logical_cores, physical_memory, uuid FROM system_info')
    expect(row?.hostname).toBe(hostname())
    expect(Number(row?.cpu_logical_cores)).toBe(availableParallelism())
    expect(Number(row?.physical_memory)).toBe(meminfoKb('MemTotal') * 1024)
    expect(row?.uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/)
    expect(rows('SELECT memory_total FROM memory_info')).toEqual([
      { memory_total: String(meminfoKb('MemTotal') * 1024) },
    ])
  })

  it('reports uptime and the current time', () => {
    const [up] = rows('SELECT total_seconds FROM uptime')
    expect(Math.abs(Number(up?.total_seconds) - uptime())).toBeLessThan(5)
    const [now] = rows('SELECT unix_time FROM time')
    expect(Math.abs(Number(now?.unix_time) - Date.now() / 1000)).toBeLessThan(5)
  })

  it('finds this test process, and lists all processes well under a second', () => {
    const [self] = rows(
      `SELECT name, path, parent, uid, on_disk FROM processes WHERE pid = ${process.pid}`,
    )
    expect(self).toMatchObject({
      path: realpathSync(process.execPath),
      parent: String(process.ppid),
      uid: String(process.getuid?.() ?? ''),
      on_disk: '1',
    })
    expect(rows('SELECT * FROM processes').length).toBeGreaterThan(1)
    expect(rows('SELECT name FROM processes WHERE pid = 1')).toHaveLength(1)
  })

  it('lists root among the users', () => {
    expect(rows("SELECT uid, directory FROM users WHERE username = 'root'")).toEqual([
      { uid: '0', directory: '/root' },
    ])
  })

  it('lists this process listening on its port', () => {
    expect(rows(`SELECT pid, address, protocol FROM listening_ports WHERE port = ${port}`)).toEqual(
      [{ pid: String(process.pid), address: '127.0.0.1', protocol: '6' }],
    )
  })

  it("lists Node's network addresses", () => {
    const expected = Object.values(networkInterfaces())
      .flatMap((infos) => infos ?? [])
      .filter((info) => info.family === 'IPv4')
      .map((info) => info.address)
    const found = rows("SELECT address FROM interface_addresses WHERE address NOT LIKE '%:%'").map(
      (r) => r.address,
    )
    expect(found.sort()).toEqual(expected.sort())
  })

  it('reads the root mount and hashes a file', () => {
    const [root] = rows("SELECT blocks, blocks_size FROM mounts WHERE path = '/'")
    expect(Number(root?.blocks)).toBeGreaterThan(0)
    const digest = createHash('sha256').update(readFileSync('/etc/passwd')).digest('hex')
    expect(rows("SELECT sha256 FROM hash WHERE path = '/etc/passwd'")).toEqual([{ sha256: digest }])
  })

  it.runIf(existsSync('/var/lib/dpkg/status'))('lists dpkg packages', () => {
    expect(
      rows('SELECT * FROM deb_packages').some(
        (row) => row.name === 'dpkg' && row.status === 'install ok installed',
      ),
    ).toBe(true)
  })
})
