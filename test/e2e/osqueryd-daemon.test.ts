import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../packages/agent/src/osquery/engine/index.js'
import { startDaemon, type RunningDaemon } from '../../packages/agent/src/osquery/daemon/daemon.js'
import { parseFlags } from '../../packages/agent/src/osquery/daemon/flags.js'
import {
  adminApi,
  asRecord,
  assertBuilt,
  startFleetServer,
  waitFor,
  type RunningServer,
} from './support.js'

const PASSWORD = 'osqueryd-e2e-password-1!'
const SECRET = 'osqueryd-e2e-secret'

/**
 * fleetd's osqueryd, with the real engine, against a real `fleet serve`: started with the flags
 * orbit passes (through a flagfile, as orbit's osquery.flags), it must enroll, take its config,
 * answer the detail and label queries the server sends, and have its logs accepted.
 */
describe('fleetd osqueryd against a real fleet serve', () => {
  let server: RunningServer
  let daemon: RunningDaemon | undefined
  let dataDir: string
  let api: Awaited<ReturnType<typeof adminApi>>

  beforeAll(async () => {
    assertBuilt()
    dataDir = mkdtempSync(join(tmpdir(), 'fleet-osqueryd-e2e-'))
    server = await startFleetServer(dataDir)
    api = await adminApi(server, dataDir, {
      password: PASSWORD,
      orgName: 'osqueryd e2e',
      enrollSecret: SECRET,
    })
  })

  afterAll(async () => {
    await daemon?.stop()
    await server?.stop()
  })

  it('enrolls, fills host vitals, answers label queries, runs its schedule and ships logs', async () => {
    // Fleet's default agent options, with short periods and one scheduled query.
    await api('PATCH', '/api/latest/fleet/config', {
      agent_options: {
        config: {
          options: {
            pack_delimiter: '/',
            logger_tls_period: 1,
            distributed_plugin: 'tls',
            disable_distributed: false,
            logger_tls_endpoint: '/api/osquery/log',
            distributed_interval: 2,
            distributed_tls_max_attempts: 3,
          },
          decorators: { load: ['SELECT uuid AS host_uuid FROM system_info;'] },
          schedule: { fleetd_uptime: { query: 'SELECT total_seconds FROM uptime', interval: 1 } },
        },
      },
    })
    const label = asRecord(
      (
        await api('POST', '/api/latest/fleet/labels', {
          name: 'fleetd engine',
          query: "SELECT 1 FROM osquery_info WHERE version <> ''",
        })
      ).label,
    )
    const root = mkdtempSync(join(tmpdir(), 'fleetd-root-'))
    const flagfile = join(root, 'osquery.flags')
    const prefix = '/api/v1/osquery'
    writeFileSync(
      flagfile,
      [
        '# written like orbit/pkg/osquery flags',
        `--tls_hostname=${new URL(server.url).host}`,
        `--tls_server_certs=${join(dataDir, 'tls', 'server.crt')}`,
        '--enroll_secret_env=ENROLL_SECRET',
        '--host_identifier=uuid',
        `--enroll_tls_endpoint=${prefix}/enroll`,
        '--config_plugin=tls',
        `--config_tls_endpoint=${prefix}/config`,
        '--config_refresh=60',
        '--disable_distributed=false',
        '--distributed_plugin=tls',
        '--distributed_tls_max_attempts=10',
        `--distributed_tls_read_endpoint=${prefix}/distributed/read`,
        `--distributed_tls_write_endpoint=${prefix}/distributed/write`,
        '--logger_plugin=tls',
        `--logger_tls_endpoint=${prefix}/log`,
        '--disable_carver=false',
        '--carver_disable_function=false',
        `--carver_start_endpoint=${prefix}/carve/begin`,
        `--carver_continue_endpoint=${prefix}/carve/block`,
        '--carver_block_size=2000000',
      ].join('\n'),
    )
    const { flags } = parseFlags(
      [
        `--pidfile=${join(root, 'osquery.pid')}`,
        `--extensions_socket=${join(root, 'orbit-osquery.em')}`,
        `--logger_path=${join(root, 'osquery_log')}`,
        '--flagfile',
        flagfile,
        '--database_path',
        join(root, 'osquery.db'),
      ],
      (path) => readFileSync(path, 'utf8'),
    )
    expect([...flags.unknown]).toEqual([])
    let stderr = ''
    const started = await startDaemon({
      flags,
      env: { ENROLL_SECRET: SECRET },
      createEngine: (context) => createEngine(context),
      stderr: (text) => void (stderr += text),
    })
    daemon = started

    const host = await waitFor('the host with its vitals', async () => {
      const hosts = (await api('GET', '/api/latest/fleet/hosts')).hosts
      const found = Array.isArray(hosts) ? hosts.map(asRecord) : []
      const h = found.find((x) => x.uuid === started.hostIdentifier)
      return h && h.osquery_version && h.os_version && Number(h.memory) > 0 ? h : undefined
    })
    expect(host).toMatchObject({
      osquery_version: '5.14.1',
      platform: expect.stringMatching(/.+/),
      hostname: expect.stringMatching(/.+/),
      cpu_brand: expect.stringMatching(/.+/),
    })

    const members = await waitFor('label membership', async () => {
      const res = await api('GET', `/api/latest/fleet/hosts?label_id=${String(label.id)}`)
      const list = Array.isArray(res.hosts) ? res.hosts.map(asRecord) : []
      return list.length > 0 ? list : undefined
    })
    expect(members.map((h) => h.uuid)).toEqual([started.hostIdentifier])

    await waitFor('result and status logs accepted by the log endpoint', async () => {
      const { sent } = started.stats().logs
      return sent.status > 0 && sent.result > 0 ? true : undefined
    })
    expect(started.stats().schedule).toEqual(['fleetd_uptime'])
    // The config's intervals reached the server through the config side effect.
    const refreshed = await api('GET', `/api/latest/fleet/hosts/${String(host.id)}`)
    expect(asRecord(refreshed.host)).toMatchObject({
      distributed_interval: 2,
      logger_tls_period: 1,
    })
    expect(started.stats()).toMatchObject({
      enrolled: true,
      distributed: { writes: expect.any(Number) },
    })
    expect(started.stats().distributed.writes).toBeGreaterThan(0)
    expect(await started.stop()).toBe(0)
    daemon = undefined
    expect(stderr).not.toContain(SECRET)
  })
})
