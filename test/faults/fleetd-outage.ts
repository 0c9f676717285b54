import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../../bench/lib/processes.js'
import { resultKey, resultLines } from './delivery.js'
import {
  Api,
  FleetServer,
  freePort,
  hostCounts,
  INTERVAL_S,
  liveQueryReach,
  SECRET,
  setUp,
  sleep,
  tempDir,
  type Outcome,
  type ScenarioOptions,
} from './harness.js'

const FLEETD_BIN = join(ROOT, 'packages/agent/bin/fleetd.js')
/** The server stays down this long, as the issue asks. */
const OUTAGE_S = 60

/**
 * A real `fleetd run` as a host of its own: each runs in private mount and UTS namespaces
 * (`unshare`, root only) with its own /etc/machine-id and hostname, so several on one machine
 * are several hosts rather than one. Its osquery engine logs results both to Fleet (tls) and to
 * a local file (filesystem): the local file is what the host made, the server's what it got.
 */
class Fleetd {
  readonly root = tempDir('fleetd')
  readonly child: ChildProcess
  private output = ''

  constructor(server: FleetServer, index: number) {
    const machineId = join(this.root, 'machine-id')
    writeFileSync(machineId, `${randomBytes(16).toString('hex')}\n`)
    const args = [
      FLEETD_BIN,
      'run',
      ...['--fleet-url', server.url],
      ...['--enroll-secret', SECRET],
      ...['--fleet-certificate', server.certificateFile],
      ...['--root-dir', this.root],
      ...['--config-interval', '5'],
      '--',
      '--logger_plugin=filesystem,tls',
    ]
    const quoted = args.map((arg) => `'${arg}'`).join(' ')
    const script =
      `mount --bind '${machineId}' /etc/machine-id && hostname fleetd-fault-${index} && ` +
      `exec '${process.execPath}' ${quoted}`
    this.child = spawn('unshare', ['--mount', '--uts', 'sh', '-c', script], {
      cwd: ROOT,
      env: { ...process.env, FLEETD_ENROLL_RETRY_INTERVAL: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const collect = (chunk: Buffer) => (this.output = (this.output + String(chunk)).slice(-4000))
    this.child.stdout?.on('data', collect)
    this.child.stderr?.on('data', collect)
  }

  /** The snapshot lines this host's engine made (its local filesystem log). */
  madeLines(): string {
    const file = join(this.root, 'osquery_log', 'osqueryd.snapshots.log')
    return existsSync(file) ? readFileSync(file, 'utf8') : ''
  }

  async stop(): Promise<void> {
    const child = this.child
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.kill('SIGTERM')
      await gone
    }
  }

  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.root, { recursive: true, force: true })
  }

  describe(): string {
    return `fleetd ${this.child.pid ?? '?'} exited ${String(this.child.exitCode)}: ${this.output}`
  }
}

/** The lines the hosts made before `before`: key → unixTime. */
function madeBefore(fleetds: Fleetd[], before: number) {
  const made = new Map<string, number>()
  for (const fleetd of fleetds) {
    for (const line of fleetd.madeLines().split('\n')) {
      if (line.trim() === '') {
        continue
      }
      const { key, unixTime } = resultKey(line)
      if (unixTime < before) {
        made.set(key, unixTime)
      }
    }
  }
  return made
}

/** Polls `check` every second until it returns true or `maxS` pass. */
async function until(maxS: number, check: () => Promise<boolean> | boolean): Promise<boolean> {
  for (let waited = 0; waited < maxS; waited++) {
    if (await check()) {
      return true
    }
    await sleep(1000)
  }
  return check()
}

/**
 * Real fleetd processes (`--fleetd`, a few) against `fleet serve` over TLS; the server stops
 * for 60 s while every host logs a snapshot each 5 s. After it is back, every line a host made
 * before the recovery, including those made during the outage and buffered by osquery, must be
 * in the server's result log once; every host listed once; a live query must reach them all.
 */
export async function fleetdOutage(options: ScenarioOptions): Promise<Outcome> {
  const count = options.fleetd
  const server = new FleetServer(await freePort(), tempDir('fleetd-server'), {}, { tls: true })
  await server.start()
  const api = new Api(server.url, readFileSync(server.certificateFile, 'utf8'))
  const fleetds: Fleetd[] = []
  try {
    await setUp(api)
    for (let i = 0; i < count; i++) {
      fleetds.push(new Fleetd(server, i))
    }
    const described = () => fleetds.map((f) => f.describe()).join('\n')
    const allListed = async () => (await hostCounts(api)).hostsListed >= count
    if (!(await until(120, allListed))) {
      throw new Error(`fleetd hosts did not all enroll:\n${described()}`)
    }
    // Every host has logged before the outage.
    if (!(await until(60, () => fleetds.every((f) => f.madeLines() !== '')))) {
      throw new Error(`fleetd hosts made no results:\n${described()}`)
    }
    await sleep(2 * INTERVAL_S * 1000)
    await server.kill('SIGTERM')
    const downAt = Math.floor(Date.now() / 1000)
    await sleep(OUTAGE_S * 1000)
    const upAt = Math.floor(Date.now() / 1000)
    await server.start()
    // Everything made up to the recovery must arrive (osquery resends from its buffer).
    const made = madeBefore(fleetds, upAt)
    const missing = () => {
      const logged = resultLines(server.resultLog()).keys
      return [...made.keys()].filter((key) => !logged.has(key)).length
    }
    await until(120, () => missing() === 0)
    const { inTime: reach } = await liveQueryReach(api, count, 60)
    const counts = await hostCounts(api)
    await Promise.all(fleetds.map((f) => f.stop()))
    await server.stop()
    const logged = resultLines(server.resultLog())
    const lost = missing()
    const duringOutage = [...made.values()].filter((t) => t >= downAt && t < upAt).length
    return {
      pass:
        counts.hostsListed === count &&
        counts.duplicateUuids === 0 &&
        reach === count &&
        duringOutage > 0 &&
        lost === 0 &&
        logged.duplicates === 0,
      numbers: {
        fleetd_hosts: count,
        hosts_listed: counts.hostsListed,
        duplicate_uuids: counts.duplicateUuids,
        results_made_before_recovery: made.size,
        results_made_during_outage: duringOutage,
        results_lost: lost,
        results_duplicated: logged.duplicates,
        live_query_reach: reach,
      },
    }
  } finally {
    await Promise.all(fleetds.map((f) => f.dispose()))
    await server.dispose()
    await api.close()
  }
}
