import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'undici'
import WebSocket from 'ws'
import { startAndWaitForUrl, type Running } from '../../bench/lib/processes.js'
import { startSimProcess, type SimProcess } from '../../bench/lib/sim-processes.js'
import { judgeDelivery, record, resultLines, type DeliveryCheck } from './delivery.js'

export { record, type DeliveryCheck } from './delivery.js'

/** What every scenario is given: the host count and where to put its files. */
export interface ScenarioOptions {
  hosts: number
  hostsPerSim: number
  /** How long a stopped dependency stays down. */
  downS: number
  /** Real fleetd processes for the scenarios that run them (each is a whole engine). */
  fleetd: number
}

/** One scenario's verdict and the numbers behind it. */
export interface Outcome {
  pass: boolean
  numbers: Record<string, number | string>
}

export const SECRET = 'faults-enroll-secret'
const TEMPLATES = 'ubuntu_22.04:2,windows_11:1,mac10.14.6:1'
/** fleet-sim intervals: config, distributed reads and log posts every 5 s. */
export const INTERVAL_S = 5

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `fleet-faults-${prefix}-`))
}

/**
 * A `fleet serve` on a fixed port (so agents find it again after a restart). TLS is off unless
 * `tls` (real fleetd speaks https only); the self-signed certificate it then makes once in its
 * data directory is kept across restarts.
 */
export class FleetServer {
  private running: Running | undefined
  readonly url: string

  constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
    readonly options: { tls?: boolean; resultLogFile?: string } = {},
  ) {
    this.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`
  }

  /** The server's certificate (PEM file) when it serves TLS. */
  get certificateFile(): string {
    return join(this.dataDir, 'tls', 'server.crt')
  }

  get pid(): number {
    return this.running?.child.pid ?? 0
  }

  async start(): Promise<void> {
    this.running = await startAndWaitForUrl(
      process.execPath,
      ['packages/server/bin/fleet.js', 'serve', '--server_address', `127.0.0.1:${this.port}`],
      {
        FLEET_AUTH_SCRYPT_COST: '10',
        FLEET_DATA_DIR: this.dataDir,
        FLEET_SERVER_TLS: String(this.options.tls ?? false),
        FLEET_LOGGING_LEVEL: 'warn',
        ...(this.options.resultLogFile && {
          FLEET_FILESYSTEM_RESULT_LOG_FILE: this.options.resultLogFile,
        }),
        ...this.env,
      },
    )
    this.running.child.stderr?.resume()
  }

  /** Sends `signal` and waits until the process is gone. */
  async kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const child = this.running?.child
    this.running = undefined
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return
    }
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill(signal)
    await gone
  }

  stop(): Promise<void> {
    return this.kill('SIGTERM')
  }

  /** Stops the server and removes its data directory. */
  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.dataDir, { recursive: true, force: true })
  }

  resultLog(): string {
    const path = this.options.resultLogFile ?? join(this.dataDir, 'osquery_result')
    return existsSync(path) ? readFileSync(path, 'utf8') : ''
  }
}

/** A JSON client for the REST API, logged in as the admin made by {@link setUp}. */
export class Api {
  private readonly dispatcher: Agent
  token = ''

  /** `ca`: the server's self-signed certificate (PEM) when it serves TLS. */
  constructor(
    readonly url: string,
    readonly ca?: string,
  ) {
    this.dispatcher = new Agent({ connections: 4, connect: ca ? { ca } : {} })
  }

  async call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
    const res = await request(`${this.url}${path}`, {
      method,
      dispatcher: this.dispatcher,
      headers: {
        'content-type': 'application/json',
        ...(this.token && { authorization: `Bearer ${this.token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json: unknown = await res.body.json()
    if (res.statusCode >= 300) {
      throw new Error(`${method} ${path}: ${res.statusCode} ${JSON.stringify(json)}`)
    }
    return record(json)
  }

  close(): Promise<void> {
    return this.dispatcher.close()
  }
}

/** First-time setup, the enroll secret, and a scheduled query every host logs each interval. */
export async function setUp(api: Api): Promise<void> {
  const setup = await api.call('POST', '/api/v1/setup', {
    admin: { email: 'faults@example.com', name: 'Faults', password: 'faults-password-1!' },
    org_info: { org_name: 'Faults' },
  })
  api.token = String(setup.token)
  await api.call('POST', '/api/latest/fleet/spec/enroll_secret', {
    spec: { secrets: [{ secret: SECRET }] },
  })
  await api.call('POST', '/api/latest/fleet/queries', {
    name: 'faults_uptime',
    query: 'SELECT * FROM uptime',
    interval: INTERVAL_S,
    logging: 'snapshot',
    automations_enabled: true,
  })
}

/** Where each simulator process writes the result lines the server acknowledged. */
const deliveredFiles = new WeakMap<SimProcess, string>()

/** Starts fleet-sim processes for `hosts` hosts against `urls` (one process per url in turn). */
export function startSims(options: ScenarioOptions, urls: string[], startPeriodS: number) {
  const procs = Math.max(urls.length, Math.ceil(options.hosts / options.hostsPerSim))
  const per = Math.ceil(options.hosts / procs)
  const dir = tempDir('delivered')
  return Array.from({ length: procs }, (_, i) => {
    const delivered = join(dir, `sim-${i}.jsonl`)
    const sim = startSimProcess({
      serverUrl: urls[i % urls.length] ?? '',
      enrollSecret: SECRET,
      hostCount: Math.min(per, options.hosts - i * per),
      hostOffset: i * per,
      startPeriodS,
      statsS: INTERVAL_S,
      seed: 9,
      osTemplates: TEMPLATES,
      extraArgs: [
        ...['--config-interval', String(INTERVAL_S)],
        ...['--query-interval', String(INTERVAL_S)],
        ...['--logger-interval', String(INTERVAL_S)],
        ...['--delivered-results', delivered],
      ],
    })
    deliveredFiles.set(sim, delivered)
    return sim
  })
}

/** The result lines the server acknowledged to `sims` (read once they have stopped). */
function deliveredLines(sims: SimProcess[]): string {
  return sims
    .map((sim) => {
      const file = deliveredFiles.get(sim)
      if (file === undefined || !existsSync(file)) {
        return ''
      }
      const text = readFileSync(file, 'utf8')
      rmSync(file)
      return text
    })
    .join('\n')
}

/** Waits until every sim reports all its hosts enrolled (false after `maxS`). */
export async function allEnrolled(sims: SimProcess[], maxS: number): Promise<boolean> {
  const deadline = Date.now() + maxS * 1000
  while (Date.now() < deadline) {
    const intervals = await Promise.all(sims.map((sim) => sim.nextInterval()))
    if (intervals.every((x) => x.enrolled === x.hosts)) {
      return true
    }
  }
  return false
}

/** Hosts the server knows: how many, and how many uuids appear more than once. */
export async function hostCounts(api: Api) {
  const hosts = (await api.call('GET', '/api/latest/fleet/hosts')).hosts
  const list = Array.isArray(hosts) ? hosts.map(record) : []
  const uuids = new Map<string, number>()
  for (const host of list) {
    const uuid = String(host.uuid)
    uuids.set(uuid, (uuids.get(uuid) ?? 0) + 1)
  }
  return {
    hostsListed: list.length,
    uniqueUuids: uuids.size,
    duplicateUuids: [...uuids.values()].filter((n) => n > 1).length,
  }
}

/**
 * A live query on "All Hosts": how many distinct hosts answered within `maxS` (`inTime`), and,
 * when some had not, how many had after `lateS` more (`total`), to tell late from never.
 */
export async function liveQueryReach(
  api: Api,
  expected: number,
  maxS: number,
  lateS = 60,
): Promise<{ inTime: number; total: number }> {
  const labels = (await api.call('GET', '/api/latest/fleet/labels')).labels
  const all = (Array.isArray(labels) ? labels.map(record) : []).find((l) => l.name === 'All Hosts')
  const created = record(
    (
      await api.call('POST', '/api/latest/fleet/queries/run', {
        query: 'SELECT * FROM osquery_info',
        selected: { labels: [all?.id] },
      })
    ).campaign,
  )
  const answered = new Set<number>()
  let inTime: number | undefined
  const socket = new WebSocket(
    `${api.url.replace(/^http/, 'ws')}/api/latest/fleet/results/websocket`,
    api.ca ? { ca: api.ca } : {},
  )
  await new Promise<void>((resolve) => {
    const late = setTimeout(resolve, (maxS + lateS) * 1000)
    const onTime = setTimeout(() => {
      inTime = answered.size
    }, maxS * 1000)
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'auth', data: { token: api.token } }))
      socket.send(JSON.stringify({ type: 'select_campaign', data: { campaign_id: created.id } }))
    })
    socket.on('message', (data: WebSocket.RawData) => {
      const message = record(JSON.parse(String(data)))
      if (message.type === 'result') {
        answered.add(Number(record(record(message.data).host).id))
        if (answered.size >= expected) {
          clearTimeout(onTime)
          clearTimeout(late)
          resolve()
        }
      }
    })
    socket.on('error', () => undefined)
  })
  socket.close()
  return { inTime: inTime ?? answered.size, total: answered.size }
}

/**
 * The end of every scenario: a live query must reach every host, then the agents stop and the
 * hosts and result lines are counted against what the agents had delivered.
 */
export async function verify(
  api: Api,
  sims: SimProcess[],
  hosts: number,
  servers: FleetServer[],
  check: DeliveryCheck = {},
): Promise<Outcome> {
  const { inTime: reach, total: reachLate } = await liveQueryReach(api, hosts, 6 * INTERVAL_S)
  await Promise.all(sims.map((sim) => sim.stop()))
  const delivered = resultLines(deliveredLines(sims))
  const counts = await hostCounts(api)
  // A clean stop flushes the servers' buffered log sinks.
  await Promise.all(servers.map((server) => server.stop()))
  const results = judgeDelivery(
    delivered,
    resultLines(servers.map((server) => server.resultLog()).join('\n'), check.ignoreHost),
    check,
  )
  return {
    pass:
      counts.hostsListed === hosts &&
      counts.duplicateUuids === 0 &&
      reach === hosts &&
      results.pass,
    numbers: {
      hosts_expected: hosts,
      hosts_listed: counts.hostsListed,
      duplicate_uuids: counts.duplicateUuids,
      ...results.numbers,
      live_query_reach: reach,
      ...(reach < hosts && { live_query_reach_after_90s: reachLate }),
    },
  }
}
