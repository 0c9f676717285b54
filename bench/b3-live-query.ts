/**
 * B3 — a live query to every host of a fleet: how long until all of them answered, as a ratio
 * to osquery's distributed interval (10 s; goal ≤ 1.3 intervals), and what check-ins cost in
 * Redis when no campaign targets the host (goal: nothing).
 *
 *   npm run bench:b3 [-- --hosts 10000 --backend sqlite|mysql --tls on|off]
 *
 * One `fleet serve` with Redis pub/sub (on SQLite by default, `--backend mysql` for MariaDB) and
 * `fleet-sim` processes (osquery-perf templates, distributed/read every 10 s). Once every host is
 * enrolled and settled it measures, from Redis's own `INFO commandstats`:
 *   1. a window with no campaign (every check-in is one no campaign targets);
 *   2. a window with a campaign on one host, read over the websocket (the other hosts' check-ins
 *      are ones no campaign targets);
 * then starts a live query on "All Hosts" (`POST /queries/run`), reads it over the results
 * websocket, and times each host's answer from the moment the request was sent.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import mysql from 'mysql2/promise'
import { Agent, request } from 'undici'
import WebSocket from 'ws'
import { cpuSeconds, rssMiB } from './lib/cpu.js'
import { runCommand, startAndWaitForUrl, type Running } from './lib/processes.js'
import { startSimProcess, type SimInterval, type SimProcess } from './lib/sim-processes.js'

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10000' },
    backend: { type: 'string', default: 'sqlite' },
    tls: { type: 'string', default: 'on' },
    'hosts-per-sim': { type: 'string', default: '10000' },
    'start-rate': { type: 'string', default: '500' },
    windows: { type: 'string', default: '2' },
  },
})
const HOSTS = Number(values.hosts)
const TLS = values.tls !== 'off'
const HOSTS_PER_SIM = Number(values['hosts-per-sim'])
const START_RATE = Number(values['start-rate'])
const WINDOWS = Number(values.windows)
/** fleet-sim's default distributed interval, osquery's default too. */
const INTERVAL_S = 10
const GOAL_INTERVALS = 1.3
const SECRET = 'b3-enroll-secret'
const TEMPLATES = 'ubuntu_22.04:2,windows_11:1,mac10.14.6:1'
const REDIS = { host: '127.0.0.1', port: 6379 }

/** The MariaDB database of a `--backend mysql` run (dropped at the end). */
let mysqlDatabase: string | undefined

async function dropMysqlDatabase(): Promise<void> {
  if (mysqlDatabase) {
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' })
    await admin.query(`DROP DATABASE IF EXISTS \`${mysqlDatabase}\``)
    await admin.end()
  }
}

async function startServer(dataDir: string): Promise<Running> {
  const env: Record<string, string> = {
    FLEET_AUTH_SCRYPT_COST: '10',
    FLEET_DATA_DIR: dataDir,
    FLEET_SERVER_TLS: String(TLS),
    FLEET_REDIS_ADDRESS: `${REDIS.host}:${REDIS.port}`,
  }
  if (values.backend === 'mysql') {
    const database = `fleet_b3_${process.pid}`
    mysqlDatabase = database
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' })
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``)
    await admin.query(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    )
    await admin.end()
    Object.assign(env, {
      FLEET_MYSQL_ADDRESS: '127.0.0.1:3306',
      FLEET_MYSQL_USERNAME: 'root',
      FLEET_MYSQL_DATABASE: database,
    })
    await runCommand(process.execPath, ['packages/server/bin/fleet.js', 'prepare', 'db'], env)
  }
  return startAndWaitForUrl(
    process.execPath,
    ['packages/server/bin/fleet.js', 'serve', '--server_address', '127.0.0.1:0'],
    env,
  )
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null
    ? Object.fromEntries(Object.entries(value))
    : {}
}

/** A JSON client for the server's REST API. */
function api(url: string, ca: string | undefined) {
  const dispatcher = new Agent({ connect: ca ? { ca } : {} })
  let token = ''
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await request(`${url}${path}`, {
      method,
      dispatcher,
      headers: {
        'content-type': 'application/json',
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json: unknown = await res.body.json()
    if (res.statusCode >= 300) {
      throw new Error(`${method} ${path}: ${res.statusCode} ${JSON.stringify(json)}`)
    }
    return record(json)
  }
  return {
    call,
    setToken: (value: string) => (token = value),
    token: () => token,
    close: () => dispatcher.close(),
  }
}

/** Redis's command counters, by command (`INFO commandstats`). */
async function commandCounts(redis: Redis): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const line of (await redis.info('commandstats')).split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim())
    if (match?.[1] && match[2]) {
      counts.set(match[1], Number(match[2]))
    }
  }
  return counts
}

/** Commands run between two snapshots, without the benchmark's own INFO calls. */
function commandsBetween(before: Map<string, number>, after: Map<string, number>) {
  const delta: Record<string, number> = {}
  let total = 0
  for (const [name, calls] of after) {
    const n = calls - (before.get(name) ?? 0) - (name === 'info' ? 1 : 0)
    if (n > 0) {
      delta[name] = n
      total += n
    }
  }
  return { total, byCommand: delta }
}

/** distributed/read requests in one fleet-sim interval line. */
function distributedReads(interval: SimInterval): number {
  const endpoints = record(record(interval).endpoints)
  const reads = record(endpoints.distributed_read)
  return typeof reads.requests === 'number' ? reads.requests : 0
}

function nextIntervals(sims: SimProcess[]): Promise<SimInterval[]> {
  return Promise.all(sims.map((sim) => sim.nextInterval()))
}

/** Reads a campaign over the results websocket; calls `onResult(hostId)` for each result. */
function readCampaign(
  url: string,
  ca: string | undefined,
  token: string,
  campaignId: number,
  onResult: (hostId: number, error: unknown) => void,
): WebSocket {
  const socket = new WebSocket(
    `${url.replace(/^http/, 'ws')}/api/latest/fleet/results/websocket`,
    ca ? { ca } : {},
  )
  socket.on('open', () => {
    socket.send(JSON.stringify({ type: 'auth', data: { token } }))
    socket.send(JSON.stringify({ type: 'select_campaign', data: { campaign_id: campaignId } }))
  })
  socket.on('message', (data: WebSocket.RawData) => {
    const message = record(JSON.parse(String(data)))
    if (message.type === 'result') {
      const result = record(message.data)
      onResult(Number(record(result.host).id), result.error)
    } else if (message.type === 'error') {
      process.stderr.write(`websocket error: ${JSON.stringify(message.data)}\n`)
    }
  })
  return socket
}

/**
 * Measures Redis commands (all clients) and check-ins over WINDOWS sim intervals, and which
 * channels the publishes went to (a pattern subscriber listens only during the window).
 */
async function redisWindow(redis: Redis, sims: SimProcess[]) {
  const watcher = new Redis(REDIS)
  const channels: Record<string, number> = {}
  watcher.on('pmessage', (_pattern: string, channel: string) => {
    const name = channel.replace(/_\d+$/, '_<id>')
    channels[name] = (channels[name] ?? 0) + 1
  })
  await watcher.psubscribe('*')
  const before = await commandCounts(redis)
  let reads = 0
  for (let w = 0; w < WINDOWS; w++) {
    reads += (await nextIntervals(sims)).reduce((sum, x) => sum + distributedReads(x), 0)
  }
  const commands = commandsBetween(before, await commandCounts(redis))
  watcher.disconnect()
  return { reads, ...commands, publishesByChannel: channels }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-b3-'))
  const server = await startServer(dataDir)
  const pid = server.child.pid ?? 0
  const caFile = TLS ? join(dataDir, 'tls', 'server.crt') : undefined
  const ca = caFile && readFileSync(caFile, 'utf8')
  const client = api(server.url, ca)
  const redis = new Redis(REDIS)
  const procs = Math.ceil(HOSTS / HOSTS_PER_SIM)
  const per = Math.ceil(HOSTS / procs)
  let sims: SimProcess[] = []
  process.stdout.write(
    `B3 on ${values.backend} + Redis, TLS ${TLS ? 'on' : 'off'}: ${HOSTS} hosts in ${procs} fleet-sim process(es), distributed interval ${INTERVAL_S} s\n`,
  )
  try {
    const setup = await client.call('POST', '/api/v1/setup', {
      admin: { email: 'b3@example.com', name: 'B3', password: 'bench-password-1!' },
      org_info: { org_name: 'B3' },
    })
    client.setToken(String(setup.token))
    await client.call('POST', '/api/latest/fleet/spec/enroll_secret', {
      spec: { secrets: [{ secret: SECRET }] },
    })
    sims = Array.from({ length: procs }, (_, i) =>
      startSimProcess({
        serverUrl: server.url,
        enrollSecret: SECRET,
        caFile,
        hostCount: Math.min(per, HOSTS - i * per),
        hostOffset: i * per,
        startPeriodS: Math.ceil(HOSTS / START_RATE),
        statsS: INTERVAL_S,
        seed: 3,
        osTemplates: TEMPLATES,
      }),
    )
    // Wait for every host to enroll, then two more intervals for the enrollment burst (vitals,
    // labels, policies: each a host change announced over Redis) to settle.
    for (let waited = 0; ; waited++) {
      const intervals = await nextIntervals(sims)
      if (intervals.every((x) => x.enrolled === x.hosts)) {
        break
      }
      if (waited > 12) {
        throw new Error('hosts did not all enroll')
      }
    }
    await nextIntervals(sims)
    await nextIntervals(sims)

    const idle = await redisWindow(redis, sims)
    process.stdout.write(
      `no campaign: ${idle.reads} check-ins, ${idle.total} Redis commands ${JSON.stringify(idle.byCommand)} → ${(idle.total / Math.max(idle.reads, 1)).toFixed(4)} per check-in; publishes by channel ${JSON.stringify(idle.publishesByChannel)}\n`,
    )

    const someHost = record(
      (
        (await client.call('GET', '/api/latest/fleet/hosts?per_page=1&order_key=id'))
          .hosts as unknown[]
      )[0],
    )
    const one = record(
      (
        await client.call('POST', '/api/latest/fleet/queries/run', {
          query: 'SELECT * FROM osquery_info',
          selected: { hosts: [someHost.id] },
        })
      ).campaign,
    )
    const oneSocket = readCampaign(server.url, ca, client.token(), Number(one.id), () => undefined)
    const single = await redisWindow(redis, sims)
    oneSocket.close()
    process.stdout.write(
      `campaign on 1 host: ${single.reads} check-ins, ${single.total} Redis commands ${JSON.stringify(single.byCommand)} → ${(single.total / Math.max(single.reads, 1)).toFixed(4)} per check-in; publishes by channel ${JSON.stringify(single.publishesByChannel)}\n`,
    )
    await new Promise((resolve) => setTimeout(resolve, 1000))

    // The measurement: a live query to every host, timed from the request.
    const answeredAt = new Map<number, number>()
    let errors = 0
    let done: () => void = () => undefined
    const all = new Promise<void>((resolve) => (done = resolve))
    const cpuBefore = cpuSeconds(pid)
    const t0 = performance.now()
    const created = record(
      (
        await client.call('POST', '/api/latest/fleet/queries/run', {
          query: 'SELECT * FROM osquery_info',
          selected: { labels: [6] },
        })
      ).campaign,
    )
    const createdMs = performance.now() - t0
    const socket = readCampaign(server.url, ca, client.token(), Number(created.id), (host, e) => {
      if (!answeredAt.has(host)) {
        answeredAt.set(host, performance.now() - t0)
        errors += e ? 1 : 0
        if (answeredAt.size >= HOSTS) {
          done()
        }
      }
    })
    const timeout = setTimeout(done, 6 * INTERVAL_S * 1000)
    await all
    clearTimeout(timeout)
    const cpu = cpuSeconds(pid) - cpuBefore
    socket.close()
    const times = [...answeredAt.values()].sort((a, b) => a - b)
    const last = times.at(-1) ?? NaN
    const ratio = last / 1000 / INTERVAL_S
    process.stdout.write(
      `live query on all ${HOSTS} hosts: campaign created in ${createdMs.toFixed(0)} ms; ${answeredAt.size} answered (${errors} errors); p50 ${(percentile(times, 50) / 1000).toFixed(2)} s, p90 ${(percentile(times, 90) / 1000).toFixed(2)} s, p99 ${(percentile(times, 99) / 1000).toFixed(2)} s, all ${(last / 1000).toFixed(2)} s → ${ratio.toFixed(2)} intervals (goal ≤ ${GOAL_INTERVALS}); server CPU ${cpu.toFixed(1)} s; rss ${rssMiB(pid).toFixed(0)} MiB\n`,
    )
    process.stdout.write(
      `${JSON.stringify({
        bench: 'B3',
        backend: values.backend,
        tls: TLS,
        hosts: HOSTS,
        answered: answeredAt.size,
        errors,
        create_ms: Math.round(createdMs),
        p50_s: percentile(times, 50) / 1000,
        p90_s: percentile(times, 90) / 1000,
        p99_s: percentile(times, 99) / 1000,
        all_s: last / 1000,
        intervals: ratio,
        idle_window: idle,
        one_host_window: single,
      })}\n`,
    )
  } finally {
    await Promise.all(sims.map((sim) => sim.stop()))
    redis.disconnect()
    await client.close()
    await server.stop()
    await dropMysqlDatabase()
  }
}

await main()
