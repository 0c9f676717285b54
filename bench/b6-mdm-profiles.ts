/**
 * B6 — Apple MDM profiles at scale: simulated Macs × profiles (mixed `.mobileconfig` and DDM).
 * Goals (issue 11): the profile change API's p99 < 500 ms, and every device verified within 1.2
 * check-in intervals after a change; the reconcile crons' time and SQL statements per run.
 *
 *   npm run bench:b6 [-- --devices 10000 --baseline-devices 100 --profiles 15
 *                        --backend sqlite|mysql|postgres --checkin-interval 300 --rounds 20]
 *
 * Each run: `fleet serve` with Apple MDM on, its pushes going to the fake APNs inside one
 * `fleet-sim --apple-devices N` process; the profiles are uploaded first, then the Macs enroll
 * (spread over N / 50 s) and the run waits until the OS settings summary shows every Mac
 * verified. Then the change: one new `.mobileconfig` and one new declaration, timed from the
 * upload until every Mac is verified again (server-side: the device acknowledged, and its
 * ProfileList / DDM status report confirmed it). Then `--rounds` admin rounds (upload a profile,
 * list, summary, delete it), each request timed. Baseline, same run: `--baseline-devices` Macs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { loadOrCreateApnsFiles } from '../packages/sim/src/index.js'
import {
  benchProfiles,
  declaration,
  fleetApi,
  mobileconfig,
  setUpFleet,
  uploadProfile,
} from './lib/b6-profiles.js'
import { createBenchDatabase } from './lib/bench-databases.js'
import { ROOT, runCommand, startAndWaitForUrl, type Running } from './lib/processes.js'
import { spawn, type ChildProcess } from 'node:child_process'

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '10000' },
    'baseline-devices': { type: 'string', default: '100' },
    profiles: { type: 'string', default: '15' },
    backend: { type: 'string', default: 'sqlite' },
    'checkin-interval': { type: 'string', default: '300' },
    rounds: { type: 'string', default: '20' },
    'key-pool': { type: 'string', default: '64' },
  },
})
const BACKENDS = ['sqlite', 'mysql', 'postgres'] as const
const found = BACKENDS.find((b) => b === values.backend)
if (!found) {
  throw new Error('--backend is sqlite, mysql or postgres')
}
const BACKEND = found
const PROFILES = Number(values.profiles)
const CHECKIN_S = Number(values['checkin-interval'])
const ROUNDS = Number(values.rounds)
const SECRET = 'b6-enroll-secret'
const API_GOAL_MS = 500
const CONVERGE_GOAL = 1.2

interface CronRun {
  cron: string
  durationMs: number
  sql?: number
}

interface RunResult {
  devices: number
  enrollAndConvergeS: number
  changeConvergeS: number
  api: Map<string, number[]>
  crons: CronRun[]
  deviceConvergenceP99Ms: number
}

const log = (line: string) =>
  process.stdout.write(`[b6 ${new Date().toISOString().slice(11, 19)}] ${line}\n`)

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Every "cron job done" line of the MDM crons the server logs (JSON lines on stderr). */
function watchCrons(child: ChildProcess, runs: CronRun[]): void {
  const lines = createInterface({ input: child.stderr ?? process.stdin })
  lines.on('line', (line) => {
    if (!line.includes('cron job done') || !line.includes('mdm_apple')) {
      return
    }
    try {
      const parsed: unknown = JSON.parse(line)
      if (typeof parsed === 'object' && parsed !== null && 'cron' in parsed) {
        const entry = Object.fromEntries(Object.entries(parsed))
        runs.push({
          cron: String(entry.cron),
          durationMs: Number(entry.durationMs),
          // the profile manager says `sql`, the declarations' reconcile `statements`
          ...(typeof entry.sql === 'number' && { sql: entry.sql }),
          ...(typeof entry.statements === 'number' && { sql: entry.statements }),
        })
      }
    } catch {
      // not JSON (a pretty-printed log): nothing to read
    }
  })
}

async function startServer(dataDir: string, env: Record<string, string>): Promise<Running> {
  const serverEnv = {
    FLEET_AUTH_SCRYPT_COST: '10',
    FLEET_DATA_DIR: dataDir,
    FLEET_LOGGING_JSON: 'true',
    ...(BACKEND !== 'sqlite' && { FLEET_REDIS_ADDRESS: '127.0.0.1:6379' }),
    ...env,
  }
  if (BACKEND !== 'sqlite') {
    await runCommand(process.execPath, ['packages/server/bin/fleet.js', 'prepare', 'db'], serverEnv)
  }
  return startAndWaitForUrl(
    process.execPath,
    ['packages/server/bin/fleet.js', 'serve', '--server_address', '127.0.0.1:0'],
    serverEnv,
  )
}

/** One `fleet-sim` process for every Mac, its fake APNs on `apnsPort`. */
function startSim(serverUrl: string, devices: number, apnsPort: number, apnsDir: string) {
  const child = spawn(
    process.execPath,
    [
      'packages/sim/bin/fleet-sim.js',
      '--server-url',
      serverUrl,
      '--insecure',
      '--enroll-secret',
      SECRET,
      '--apple-devices',
      String(devices),
      '--apns-listen',
      String(apnsPort),
      '--apns-dir',
      apnsDir,
      '--mdm-checkin-interval',
      String(CHECKIN_S),
      '--start-period',
      String(Math.max(5, Math.ceil(devices / 50))),
      '--apple-key-pool',
      String(values['key-pool']),
      '--connections',
      '128',
      '--stats-interval',
      '10',
      '--seed',
      '6',
      '--json',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let latest: Record<string, unknown> = {}
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  createInterface({ input: child.stdout ?? process.stdin }).on('line', (line) => {
    try {
      const parsed: unknown = JSON.parse(line)
      if (typeof parsed === 'object' && parsed !== null && 'type' in parsed) {
        latest = Object.fromEntries(Object.entries(parsed))
      }
    } catch {
      // a text line
    }
  })
  return {
    child,
    latest: () => latest,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) {
          done()
          return
        }
        child.once('exit', () => done())
        child.kill('SIGTERM')
      }),
  }
}

async function timed<T>(
  api: Map<string, number[]>,
  name: string,
  run: () => Promise<T>,
): Promise<T> {
  const started = performance.now()
  const result = await run()
  const list = api.get(name) ?? []
  list.push(performance.now() - started)
  api.set(name, list)
  return result
}

/**
 * Polls until every Mac is verified: in the OS settings summary and, for `profiles` (just
 * uploaded: hosts get their rows when the reconcile runs), in each one's status; seconds waited.
 */
async function waitConverged(
  url: string,
  token: string,
  devices: number,
  sim: ReturnType<typeof startSim>,
  what: string,
  profiles: string[] = [],
): Promise<number> {
  const started = performance.now()
  let lastLog = 0
  const verified = async (uuid: string) =>
    Number((await fleetApi(url, token, 'GET', `/configuration_profiles/${uuid}/status`)).verified)
  for (;;) {
    const summary = await fleetApi(url, token, 'GET', '/configuration_profiles/summary')
    const counts = await Promise.all(profiles.map(verified))
    if (Number(summary.verified) === devices && counts.every((n) => n === devices)) {
      const seconds = (performance.now() - started) / 1000
      log(`${what}: all ${devices} verified after ${seconds.toFixed(1)} s`)
      return seconds
    }
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now()
      const mdm = sim.latest()
      log(
        `${what}: ${JSON.stringify(summary)}; sim enrolled ${String(mdm.enrolled)}, errors ${String(mdm.errors)} ${String(mdm.lastError ?? '')}`,
      )
    }
    if (sim.child.exitCode !== null) {
      throw new Error(`fleet-sim exited: ${sim.stderr()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
}

async function runFleet(devices: number): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-b6-'))
  const stops: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })]
  try {
    const apnsDir = join(dir, 'apns')
    const files = await loadOrCreateApnsFiles(apnsDir)
    const apnsPort = await freePort()
    const database = await createBenchDatabase(BACKEND, 'fleet_b6', dir)
    stops.push(() => database.drop())
    const crons: CronRun[] = []
    const server = await startServer(join(dir, 'data'), {
      ...database.env,
      ...(BACKEND !== 'sqlite' && { FLEET_SERVER_PRIVATE_KEY: 'b6'.repeat(16) }),
      FLEET_MDM_APPLE_APNS_URL: `https://127.0.0.1:${apnsPort}`,
      NODE_EXTRA_CA_CERTS: files.caPath,
    })
    stops.push(() => server.stop())
    watchCrons(server.child, crons)
    const url = server.url
    const token = await setUpFleet(url)
    await fleetApi(url, token, 'POST', '/spec/enroll_secret', {
      spec: { secrets: [{ secret: SECRET }] },
    })
    await fleetApi(url, token, 'PATCH', '/config', { server_settings: { server_url: url } })
    await fleetApi(url, token, 'POST', '/mdm/apple/apns_certificate', {
      certificate: await readFile(files.pushCertPath, 'utf8'),
      private_key: await readFile(files.pushKeyPath, 'utf8'),
    })
    for (const profile of benchProfiles(PROFILES)) {
      await uploadProfile(url, token, profile)
    }
    log(`${devices} Macs, ${PROFILES} profiles, ${BACKEND}: enrolling`)
    const sim = startSim(url, devices, apnsPort, apnsDir)
    stops.push(() => sim.stop())
    const enrollAndConvergeS = await waitConverged(url, token, devices, sim, 'enroll')
    crons.length = 0

    const api = new Map<string, number[]>()
    const changed = [
      await timed(api, 'POST profile', () => uploadProfile(url, token, mobileconfig(1000))),
      await timed(api, 'POST profile', () => uploadProfile(url, token, declaration(1000))),
    ]
    const changeConvergeS = await waitConverged(url, token, devices, sim, 'change', changed)
    const deviceConvergenceP99Ms = Number(
      (sim.latest().convergence as { p99Ms?: number } | undefined)?.p99Ms ?? 0,
    )

    for (let round = 0; round < ROUNDS; round++) {
      const extra = round % 2 === 0 ? mobileconfig(2000 + round) : declaration(2000 + round)
      const uuid = await timed(api, 'POST profile', () => uploadProfile(url, token, extra))
      await timed(api, 'GET profiles', () =>
        fleetApi(url, token, 'GET', '/configuration_profiles?per_page=50'),
      )
      await timed(api, 'GET summary', () =>
        fleetApi(url, token, 'GET', '/configuration_profiles/summary'),
      )
      await timed(api, 'DELETE profile', () =>
        fleetApi(url, token, 'DELETE', `/configuration_profiles/${uuid}`),
      )
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    return {
      devices,
      enrollAndConvergeS,
      changeConvergeS,
      api,
      crons: [...crons],
      deviceConvergenceP99Ms,
    }
  } finally {
    for (const stop of stops.reverse()) {
      await stop().catch((err: unknown) => log(`stopping: ${String(err)}`))
    }
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}

function cronFigures(runs: CronRun[], name: string): string {
  const mine = runs.filter((r) => r.cron === name)
  if (mine.length === 0) {
    return `${name}: no run`
  }
  const ms = mine.map((r) => r.durationMs)
  const sql = mine.map((r) => r.sql ?? 0)
  return `${name}: ${mine.length} runs, time p50 ${percentile(ms, 50)} ms max ${Math.max(...ms)} ms, SQL p50 ${percentile(sql, 50)} max ${Math.max(...sql)}`
}

function report(base: RunResult, main: RunResult): boolean {
  let met = true
  log(
    `--- B6 on ${BACKEND}: ${main.devices} Macs (baseline ${base.devices}), ${PROFILES} + 2 profiles`,
  )
  for (const [name, samples] of main.api) {
    const p99 = percentile(samples, 99)
    const baseP99 = percentile(base.api.get(name) ?? [], 99)
    const isGoal = name !== 'GET profiles'
    met &&= !isGoal || p99 < API_GOAL_MS
    log(
      `${name}: p50 ${percentile(samples, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (baseline ${baseP99.toFixed(1)} ms, ratio ${(p99 / Math.max(baseP99, 0.1)).toFixed(2)})${isGoal ? ` goal < ${API_GOAL_MS} ms: ${p99 < API_GOAL_MS ? 'met' : 'NOT met'}` : ''}`,
    )
  }
  const intervals = main.changeConvergeS / CHECKIN_S
  met &&= intervals <= CONVERGE_GOAL
  log(
    `change → every Mac verified: ${main.changeConvergeS.toFixed(1)} s = ${intervals.toFixed(2)} check-in intervals of ${CHECKIN_S} s (baseline ${base.changeConvergeS.toFixed(1)} s, ratio ${(main.changeConvergeS / Math.max(base.changeConvergeS, 0.1)).toFixed(2)}); goal ≤ ${CONVERGE_GOAL}: ${intervals <= CONVERGE_GOAL ? 'met' : 'NOT met'}`,
  )
  log(
    `push → device holding everything (sim, p99): ${main.deviceConvergenceP99Ms} ms (baseline ${base.deviceConvergenceP99Ms} ms)`,
  )
  log(
    `enrollment + first convergence: ${main.enrollAndConvergeS.toFixed(0)} s (baseline ${base.enrollAndConvergeS.toFixed(0)} s)`,
  )
  for (const cron of ['mdm_apple_profile_manager', 'mdm_apple_reconcile_declarations']) {
    log(`${cronFigures(main.crons, cron)} (baseline ${cronFigures(base.crons, cron)})`)
  }
  return met
}

const baseline = await runFleet(Number(values['baseline-devices']))
const main = await runFleet(Number(values.devices))
process.exitCode = report(baseline, main) ? 0 : 1
