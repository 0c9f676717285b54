import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stopAfterTest, stopProcesses, waitFor } from '@fleet/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { startDaemon, type RunningDaemon } from './daemon.js'
import { parseFlags } from './flags.js'
import { fakeEngine } from './test-fixtures/fake-engine.js'
import {
  CERT_PATH,
  startFakeTlsServer,
  type Answer,
  type FakeTlsServer,
  type Received,
} from './test-fixtures/fake-tls-server.js'

const SECRET = 'sup3r-s3cret-enroll'
const TABLES = {
  os_version: [{ name: 'Ubuntu', version: '22.04', platform: 'ubuntu' }],
  osquery_info: [{ version: '5.14.1', instance_id: 'I-1', uuid: 'U-1' }],
  system_info: [{ uuid: 'U-1', hostname: 'web-1', hardware_serial: 'S-1' }],
  platform_info: [{ vendor: 'Fleet' }],
  uptime: [{ total_seconds: '100' }],
}
const CONFIG = {
  options: { distributed_interval: 1, logger_tls_period: 1, pack_delimiter: '/' },
  decorators: { load: ['SELECT uuid AS host_uuid FROM system_info'] },
  packs: { Global: { queries: { up: { query: 'SELECT * FROM uptime', interval: 1 } } } },
}

const running: { daemon: RunningDaemon; server?: FakeTlsServer }[] = []
afterEach(async () => {
  await stopProcesses()
  for (const { daemon, server } of running.splice(0)) {
    await daemon.stop()
    await server?.close()
  }
})

/** Fleet-like answers: enroll hands out nk-<n>, config is CONFIG (gzip), read has one query. */
function fleetLike(options: { invalidKeys?: Set<string>; logStatus?: () => number } = {}) {
  let enrolls = 0
  let reads = 0
  return (request: Received): Answer => {
    const key = request.body.node_key
    if (typeof key === 'string' && options.invalidKeys?.has(key)) {
      return { status: 401, body: { error: `invalid node key: ${key}`, node_invalid: true } }
    }
    switch (request.path) {
      case '/api/v1/osquery/enroll':
        return { body: { node_key: `nk-${++enrolls}` } }
      case '/api/v1/osquery/config':
        return { body: CONFIG, gzip: true }
      case '/api/v1/osquery/distributed/read':
        return reads++ === 0
          ? {
              body: {
                queries: { fleet_detail_query_uptime: 'SELECT * FROM uptime', q_bad: 'SELECT x' },
                discovery: { fleet_detail_query_uptime: 'SELECT * FROM uptime' },
              },
            }
          : { body: { queries: {} } }
      case '/api/v1/osquery/log':
        return { status: options.logStatus?.() ?? 200, body: {} }
      default:
        return { body: {} }
    }
  }
}

function flagsFor(server: FakeTlsServer, dir: string, extra: string[] = []) {
  const argv = [
    `--tls_hostname=${server.hostname}`,
    `--tls_server_certs=${CERT_PATH}`,
    '--enroll_secret_env=ENROLL_SECRET',
    '--host_identifier=uuid',
    '--enroll_tls_endpoint=/api/v1/osquery/enroll',
    '--config_plugin=tls',
    '--config_tls_endpoint=/api/v1/osquery/config',
    '--config_refresh=60',
    '--disable_distributed=false',
    '--distributed_tls_read_endpoint=/api/v1/osquery/distributed/read',
    '--distributed_tls_write_endpoint=/api/v1/osquery/distributed/write',
    '--logger_plugin=tls',
    '--logger_tls_endpoint=/api/v1/osquery/log',
    `--database_path=${join(dir, 'osquery.db')}`,
    `--pidfile=${join(dir, 'osquery.pid')}`,
    ...extra,
  ]
  return parseFlags(argv, (path) => readFileSync(path, 'utf8')).flags
}

async function start(server: FakeTlsServer, dir: string, extra: string[] = []) {
  let stderr = ''
  const daemon = await startDaemon({
    flags: flagsFor(server, dir, extra),
    env: { ENROLL_SECRET: SECRET },
    createEngine: () => fakeEngine(TABLES),
    stderr: (text) => void (stderr += text),
    shutdownMs: 1500,
  })
  running.push({ daemon, server })
  return { daemon, stderr: () => stderr }
}

function logLines(server: FakeTlsServer, type: string): Record<string, unknown>[] {
  return server
    .to('/api/v1/osquery/log')
    .filter((r) => r.body.log_type === type)
    .flatMap((r) => (Array.isArray(r.body.data) ? r.body.data : []))
}

describe('osqueryd daemon against a fake osquery TLS server', () => {
  it('enrolls, fetches config, answers distributed queries and ships logs', async () => {
    const server = await startFakeTlsServer(fleetLike())
    const dir = mkdtempSync(join(tmpdir(), 'osqueryd-daemon-'))
    const { daemon, stderr } = await start(server, dir, ['--verbose'])
    expect(daemon.hostIdentifier).toBe('U-1')
    expect(readFileSync(join(dir, 'osquery.pid'), 'utf8')).toBe(String(process.pid))

    await waitFor(
      'distributed write',
      () => server.to('/api/v1/osquery/distributed/write').length > 0,
    )
    await waitFor('result logs', () => logLines(server, 'result').length > 0)
    await waitFor('status logs', () => logLines(server, 'status').length > 0)

    const [enroll] = server.to('/api/v1/osquery/enroll')
    expect(enroll?.body).toMatchObject({
      enroll_secret: SECRET,
      host_identifier: 'U-1',
      platform_type: expect.any(String),
      host_details: {
        os_version: TABLES.os_version[0],
        osquery_info: TABLES.osquery_info[0],
        system_info: TABLES.system_info[0],
        platform_info: TABLES.platform_info[0],
      },
    })
    const keyFile = join(dir, 'osquery.db', 'node_key')
    expect(readFileSync(keyFile, 'utf8')).toBe('nk-1')
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    for (const r of server.received.filter((x) => !x.path.endsWith('/enroll'))) {
      expect(r.body.node_key).toBe('nk-1')
    }

    const [write] = server.to('/api/v1/osquery/distributed/write')
    expect(write?.body).toMatchObject({
      queries: { fleet_detail_query_uptime: [{ total_seconds: '100' }], q_bad: '' },
      statuses: { fleet_detail_query_uptime: 0, q_bad: 1 },
      messages: { q_bad: expect.stringContaining('syntax error') },
    })

    expect(logLines(server, 'result')[0]).toMatchObject({
      name: 'pack/Global/up',
      hostIdentifier: 'U-1',
      columns: { total_seconds: '100' },
      action: 'added',
      counter: 0,
      decorations: { host_uuid: 'U-1' },
    })
    expect(logLines(server, 'status')[0]).toMatchObject({
      hostIdentifier: 'U-1',
      severity: '0',
      version: '5.14.1',
      filename: expect.any(String),
      line: expect.stringMatching(/^\d+$/),
      message: expect.any(String),
      unixTime: expect.stringMatching(/^\d+$/),
    })
    expect(daemon.stats()).toMatchObject({ enrolled: true, schedule: ['pack/Global/up'] })

    expect(await daemon.stop()).toBe(0)
    expect(existsSync(join(dir, 'osquery.pid'))).toBe(false)
    expect(stderr()).not.toContain(SECRET)
    expect(stderr()).not.toContain('nk-1')
  })

  it('enrolls again when the server says the node key is invalid', async () => {
    const invalidKeys = new Set<string>()
    const server = await startFakeTlsServer(fleetLike({ invalidKeys }))
    const dir = mkdtempSync(join(tmpdir(), 'osqueryd-daemon-'))
    const first = await start(server, dir)
    await waitFor('enrollment', () => first.daemon.stats().enrolled)
    invalidKeys.add('nk-1')
    await waitFor('second enrollment', () => server.to('/api/v1/osquery/enroll').length === 2)
    await waitFor('use of the new key', () =>
      server.received.some((r) => r.body.node_key === 'nk-2'),
    )
    expect(readFileSync(join(dir, 'osquery.db', 'node_key'), 'utf8')).toBe('nk-2')
    expect(first.stderr()).not.toContain('nk-1')
  })

  it('keeps logs while the server answers 5xx, across a restart, and does not re-send results', async () => {
    let logStatus = 503
    const server = await startFakeTlsServer(fleetLike({ logStatus: () => logStatus }))
    const dir = mkdtempSync(join(tmpdir(), 'osqueryd-daemon-'))
    const first = await start(server, dir)
    await waitFor('a refused result post', () => logLines(server, 'result').length > 0)
    expect(first.daemon.stats().logs.sent.result).toBe(0)
    expect(first.daemon.stats().logs.buffered).toBeGreaterThan(0)
    await first.daemon.stop()
    running.splice(0)
    const refused = server.to('/api/v1/osquery/log').length

    logStatus = 200
    const second = await start(server, dir)
    await waitFor('the backlog', () => second.daemon.stats().logs.sent.result > 0)
    const delivered = server
      .to('/api/v1/osquery/log')
      .slice(refused)
      .filter((r) => r.body.log_type === 'result')
      .flatMap((r) => (Array.isArray(r.body.data) ? r.body.data : []))
    // The first run's single "added" row arrives once; the restart found nothing new to log.
    expect(delivered).toHaveLength(1)
    expect(delivered[0]).toMatchObject({ name: 'pack/Global/up', action: 'added' })
    // Two more runs of the query, and nothing left to send: a line logged again would show.
    const runs = second.daemon.stats().scheduleRuns
    await waitFor('two more runs with the buffer empty', () => {
      const now = second.daemon.stats()
      return now.scheduleRuns >= runs + 2 && now.logs.buffered === 0
    })
    expect(second.daemon.stats().logs.sent.result).toBe(1)
  })

  it('refuses to start while another daemon holds the pidfile, unless --force', async () => {
    const server = await startFakeTlsServer(fleetLike())
    const dir = mkdtempSync(join(tmpdir(), 'osqueryd-daemon-'))
    const other = stopAfterTest(
      spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'osqueryd']),
    )
    try {
      await waitFor('the other daemon', () => other.pid !== undefined)
      writeFileSync(join(dir, 'osquery.pid'), String(other.pid))
      await expect(
        startDaemon({
          flags: flagsFor(server, dir),
          env: {},
          createEngine: () => fakeEngine(TABLES),
          stderr: () => undefined,
        }),
      ).rejects.toThrow(/already running/)
      const exited = new Promise((resolve) => other.once('exit', resolve))
      await start(server, dir, ['--force'])
      await exited
      expect(readFileSync(join(dir, 'osquery.pid'), 'utf8')).toBe(String(process.pid))
    } finally {
      other.kill('SIGKILL')
      await server.close()
    }
  })
})
