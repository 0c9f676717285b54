import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Engine, EngineContext } from '../engine/engine.js'
import { OSQUERY_COMPAT_VERSION } from '../../version.js'
import { applyConfig } from './apply-config.js'
import { ConfigLoader } from './config-loader.js'
import { Decorations } from './decorators.js'
import { ResultStore } from './differential.js'
import { DistributedRunner } from './distributed.js'
import {
  hostDetails,
  NodeKeys,
  platformType,
  readEnrollSecret,
  resolveHostIdentifier,
} from './enroll.js'
import type { Flags } from './flags.js'
import { createLogging, type Logging } from './logging.js'
import { acquirePidfile } from './pidfile.js'
import { orbitInfoFromEnv } from '../engine/tables/orbit-info.js'
import { createQueryRunner } from './query-runner.js'
import { errorText, type RemoteClient } from '../../transport/remote-client.js'
import { osqueryPlatform } from './schedule-plan.js'
import { Scheduler } from './scheduler.js'
import { clientFromFlags, TlsSession } from './session.js'
import { StateStore } from './state-store.js'
import { DaemonLog } from './status-log.js'

/** What the daemon needs from outside; everything else comes from `flags`. */
export interface DaemonDeps {
  flags: Flags
  env: NodeJS.ProcessEnv
  createEngine: (context: EngineContext) => Engine | Promise<Engine>
  /** Writes text to stderr. */
  stderr: (text: string) => void
  readText?: (path: string) => string
  /** How long stop() may spend flushing buffered logs. */
  shutdownMs?: number
}

/** Counters for diagnostics and tests. */
export interface DaemonStats {
  enrolled: boolean
  configFetches: number
  distributed: { reads: number; writes: number; queries: number }
  logs: { buffered: number; sent: { result: number; status: number } }
  schedule: string[]
  /** Scheduled query runs since start, all queries together. */
  scheduleRuns: number
}

/** A started daemon. */
export interface RunningDaemon {
  hostIdentifier: string
  stats(): DaemonStats
  /** Stops the loops, flushes logs for up to shutdownMs, releases everything; resolves 0. */
  stop(): Promise<number>
  /** Settles with the exit code when the daemon stops (by stop() or a fatal error). */
  done: Promise<number>
}

/** What every part shares once the process-level resources are open. */
interface Core {
  deps: DaemonDeps
  flags: Flags
  log: DaemonLog
  readText: (path: string) => string
  store: StateStore
  engine: Engine
  client: RemoteClient
  releasePidfile: () => void
  /** Parts the engine's context reads but that exist only after the engine. */
  late: { scheduler?: Scheduler; keys?: NodeKeys }
}

function createLog(deps: DaemonDeps): DaemonLog {
  const { flags } = deps
  return new DaemonLog({
    write: deps.stderr,
    verbose: () => flags.bool('verbose'),
    stderr: () => ({
      enabled: flags.bool('logger_stderr'),
      minSeverity: flags.int('logger_min_stderr'),
    }),
    minStatus: () => flags.int('logger_min_status'),
  })
}

/** Pidfile, state store, engine and HTTPS client; undone in reverse if any step fails. */
async function openCore(deps: DaemonDeps, log: DaemonLog): Promise<Core> {
  const { flags } = deps
  const readText = deps.readText ?? ((path: string) => readFileSync(path, 'utf8'))
  const releasePidfile = flags.get('pidfile')
    ? await acquirePidfile(flags.get('pidfile'), flags.bool('force'))
    : () => undefined
  let store: StateStore | undefined
  let client: RemoteClient | undefined
  try {
    const opened = StateStore.open(flags.get('database_path'))
    store = opened
    const remote = clientFromFlags(flags, readText, deps.stderr)
    client = remote
    const late: Core['late'] = {}
    const engine = await deps.createEngine({
      startTime: Math.floor(Date.now() / 1000),
      instanceId: opened.instanceId(),
      version: OSQUERY_COMPAT_VERSION,
      flags: flags.asMap(),
      schedule: () => late.scheduler?.entries() ?? [],
      configValid: () => late.keys?.has() ?? false,
      orbit: orbitInfoFromEnv(deps.env),
    })
    return {
      deps,
      flags,
      log,
      readText,
      store: opened,
      engine,
      client: remote,
      releasePidfile,
      late,
    }
  } catch (err) {
    await client?.close().catch(() => undefined)
    store?.close()
    releasePidfile()
    throw err
  }
}

/** Enrollment and the authenticated session. */
function createSession(core: Core, hostIdentifier: string, signal: AbortSignal): TlsSession {
  const { flags, log, store, engine, deps } = core
  const platform = osqueryPlatform()
  const keys = new NodeKeys({
    client: core.client,
    store,
    flags,
    log,
    signal,
    secret: () => readEnrollSecret(flags, deps.env, core.readText),
    enrollFacts: () => ({
      hostIdentifier,
      platformType: platformType(platform),
      hostDetails: hostDetails(engine),
    }),
  })
  core.late.keys = keys
  if (flags.bool('enroll_always')) {
    keys.invalidate(store.readNodeKey() ?? '')
  }
  return new TlsSession(core.client, keys, flags, log)
}

/** Logging, decorators, the schedule, config and distributed queries. */
function createParts(core: Core, session: TlsSession, hostIdentifier: string) {
  const { flags, log, store, engine } = core
  const decorations = new Decorations(
    engine,
    (sql, error) => log.warn(`Error running decorator ${sql}: ${error}`),
    () => flags.bool('disable_decorators'),
  )
  const logging = createLogging({
    flags,
    store,
    session,
    log,
    stderr: core.deps.stderr,
    context: {
      hostIdentifier: () => hostIdentifier,
      decorations: () => decorations.current(),
      version: OSQUERY_COMPAT_VERSION,
    },
  })
  log.attach((entry) => logging.plugin.status(entry))
  const scheduler = new Scheduler({
    splayPercent: () => flags.int('schedule_splay_percent', 10),
    run: createQueryRunner({
      engine,
      results: new ResultStore(store.db),
      decorations,
      logger: logging.plugin,
      flags,
      log,
      hostIdentifier: () => hostIdentifier,
      onRun: (name, run) => scheduler.recordRun(name, run),
    }),
    onTick: (now, previous) => decorations.runIntervals(now, previous),
    splayMemory: store.splayMemory(),
  })
  core.late.scheduler = scheduler
  const targets = { flags, log, engine, decorations, scheduler, hostIdentifier }
  const loader = new ConfigLoader({
    session,
    flags,
    log,
    readText: core.readText,
    apply: (config) => applyConfig(config, { ...targets, platform: osqueryPlatform() }),
  })
  const distributed = new DistributedRunner({ session, engine, flags, log })
  return { logging, scheduler, loader, distributed }
}

/**
 * Starts fleetd's osqueryd: pidfile, state under --database_path, the engine, then four loops —
 * config (enrolling on first use), schedule, distributed queries and the TLS log forwarder.
 * Rejects when start-up fails (pidfile held, unreadable certificates, engine failure).
 */
export async function startDaemon(deps: DaemonDeps): Promise<RunningDaemon> {
  const log = createLog(deps)
  for (const name of deps.flags.unknown) {
    log.warn(`Unknown flag --${name} recorded but not used`)
  }
  if (deps.flags.get('tls_hostname') === '') {
    log.warn('No --tls_hostname: the tls plugins cannot reach a server')
  }
  const core = await openCore(deps, log)
  const controller = new AbortController()
  const hostIdentifier = resolveHostIdentifier(deps.flags, core.engine, {
    instanceId: core.store.instanceId(),
    ephemeralId: randomUUID(),
  })
  const session = createSession(core, hostIdentifier, controller.signal)
  const parts = createParts(core, session, hostIdentifier)
  log.info(`osqueryd (fleetd, osquery ${OSQUERY_COMPAT_VERSION}) started as ${hostIdentifier}`)
  return runLoops(core, parts, controller, hostIdentifier)
}

function runLoops(
  core: Core,
  parts: ReturnType<typeof createParts>,
  controller: AbortController,
  hostIdentifier: string,
): RunningDaemon {
  const { log } = core
  const { logging, scheduler, loader, distributed } = parts
  const signal = controller.signal
  let finish: (code: number) => void = () => undefined
  const done = new Promise<number>((resolve) => (finish = resolve))
  let stopping: Promise<number> | undefined
  const fail = (what: string) => (err: unknown) => {
    log.error(`${what} stopped: ${errorText(err)}`)
    void stop(1)
  }
  const loops = [
    loader
      .refresh(signal)
      .catch((err: unknown) => {
        log.error(`Config load failed: ${errorText(err)}`)
        return false
      })
      .then((ok) => loader.run(signal, ok))
      .catch(fail('Config refresh')),
    scheduler.run(signal).catch(fail('Scheduler')),
    distributed.run(signal).catch(fail('Distributed')),
    logging.forwarder?.run(signal).catch(fail('Log forwarder')),
  ]
  const stop = (code: number): Promise<number> => {
    stopping ??= (async () => {
      controller.abort()
      await Promise.allSettled(loops)
      await flushLogs(core, logging)
      log.detach()
      await core.client.close().catch(() => undefined)
      core.engine.close()
      core.store.close()
      core.releasePidfile()
      finish(code)
      return code
    })()
    return stopping
  }
  return {
    hostIdentifier,
    done,
    stop: () => stop(0),
    stats: () => ({
      enrolled: core.late.keys?.has() ?? false,
      configFetches: loader.fetches,
      distributed: { ...distributed.counts },
      logs: { buffered: logging.buffer.size(), sent: { ...logging.sent } },
      schedule: scheduler.entries().map((entry) => entry.name),
      scheduleRuns: scheduler.entries().reduce((runs, entry) => runs + entry.executions, 0),
    }),
  }
}

/** On shutdown: send what is buffered for up to shutdownMs; the rest stays on disk. */
async function flushLogs(core: Core, logging: Logging): Promise<void> {
  const budget = core.deps.shutdownMs ?? 3000
  if (!logging.forwarder || logging.buffer.size() === 0) {
    return
  }
  const flushed = await logging.forwarder.drain(Date.now() + budget, AbortSignal.timeout(budget))
  if (!flushed) {
    core.deps.stderr(`osqueryd: ${logging.buffer.size()} log line(s) kept for the next start\n`)
  }
}
