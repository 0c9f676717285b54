import { createHostIdentity } from './host-identity.js'
import type { NamedVersion } from './inventory.js'
import { SimHost, type HostContext } from './host.js'
import { createHttpClient, type HttpClient } from './http-client.js'
import {
  SimulationOptions,
  templateForHost,
  type SimulationConfig,
  type SimulationInput,
} from './options.js'
import {
  loadOsTemplate,
  loadVulnerableSoftware,
  templatesDir,
  type OsTemplate,
} from './os-template.js'
import { createRng, deriveSeed } from './random.js'
import { createScheduleCache } from './schedule.js'
import { Scheduler } from './scheduler.js'
import { SimStats, type StatsSnapshot } from './stats.js'
import { createTransport } from './transport.js'

/** A running (or ready) set of simulated osquery hosts. */
export interface Simulation {
  /** The options with defaults filled in. */
  readonly config: SimulationConfig
  /** The seed in use (`config.seed`, or a random one to print for reproducing the run). */
  readonly seed: number
  /** Loads the templates and schedules every host's start over the start period. */
  start(): Promise<void>
  /** Stops all hosts, waits briefly for requests in flight, closes the pool; the final totals. */
  stop(): Promise<StatsSnapshot>
  /** Totals since start. */
  stats(): StatsSnapshot
  /** Numbers since the previous call (or start); starts a new interval. */
  intervalStats(): StatsSnapshot
  /** Hosts that currently hold a node key. */
  enrolledHosts(): number
}

export interface SimulationHooks {
  now?: () => number
  /** Called with exceptions a host task failed to handle (simulator bugs). */
  onInternalError?: (err: unknown) => void
  /**
   * Called with each batch of result log lines the server answered 200 to, as they were sent:
   * what a fault test checks the server's result log against, line by line.
   */
  onResultLinesDelivered?: (lines: readonly string[]) => void
}

/**
 * Creates a simulation of `hostCount` osquery hosts against `serverUrl`.
 * @example
 * const sim = createSimulation({ serverUrl: 'https://localhost:8080', enrollSecret, hostCount: 500 })
 * await sim.start()
 * await setTimeout(60_000)
 * const totals = await sim.stop()
 * @throws ZodError when the options are invalid
 */
export function createSimulation(input: SimulationInput, hooks: SimulationHooks = {}): Simulation {
  const config = SimulationOptions.parse(input)
  const seed = config.seed ?? Math.floor(Math.random() * 2 ** 31)
  const now = hooks.now ?? Date.now
  const stats = new SimStats(config.hostCount, now(), now)
  let state: 'ready' | 'running' | 'stopped' = 'ready'
  let running: Running | undefined

  const start = async (): Promise<void> => {
    if (state !== 'ready') {
      throw new Error(`simulation already ${state}`)
    }
    state = 'running'
    let assets: Assets
    try {
      assets = await loadAssets(config)
    } catch (err) {
      state = 'stopped'
      throw err
    }
    if (state !== 'running') {
      return // stopped while loading
    }
    stats.reset(now())
    running = launch(config, seed, assets, stats, hooks, now)
  }

  const stop = async (): Promise<StatsSnapshot> => {
    if (state === 'running') {
      state = 'stopped'
      running?.scheduler.stop()
      const drained =
        (await running?.scheduler.drain(Math.min(config.requestTimeoutMs, 5000))) ?? true
      await (drained ? running?.http.close() : running?.http.destroy())
    }
    state = 'stopped'
    return stats.snapshot()
  }

  return {
    config,
    seed,
    start,
    stop,
    stats: () => stats.snapshot(),
    intervalStats: () => stats.takeInterval(),
    enrolledHosts: () => running?.hosts.filter((h) => h.enrolled).length ?? 0,
  }
}

interface Assets {
  templates: ReadonlyMap<string, OsTemplate>
  vulnerableSoftware: NamedVersion[]
}

async function loadAssets(config: SimulationConfig): Promise<Assets> {
  const dir = templatesDir(config.fixturesDir)
  const names = [...new Set(config.osTemplates.map((t) => t.name))]
  const templates = new Map<string, OsTemplate>()
  for (const template of await Promise.all(names.map((n) => loadOsTemplate(dir, n)))) {
    templates.set(template.name, template)
  }
  return { templates, vulnerableSoftware: await loadVulnerableSoftware(dir) }
}

interface Running {
  http: HttpClient
  scheduler: Scheduler
  hosts: SimHost[]
}

/** Creates the pool, the scheduler and the hosts, and schedules each host's start. */
function launch(
  config: SimulationConfig,
  seed: number,
  assets: Assets,
  stats: SimStats,
  hooks: SimulationHooks,
  now: () => number,
): Running {
  const http = createHttpClient({
    serverUrl: config.serverUrl,
    insecure: config.insecure,
    ca: config.ca,
    connections: config.connections,
    timeoutMs: config.requestTimeoutMs,
  })
  const scheduler = new Scheduler({
    now,
    random: createRng(deriveSeed(seed, 'scheduler')).next,
    onError: (err) => {
      stats.internalError()
      hooks.onInternalError?.(err)
    },
  })
  const ctx: HostContext = {
    config,
    env: {
      enrollSecret: config.enrollSecret,
      configIntervalMs: config.configIntervalMs,
      queryIntervalMs: config.queryIntervalMs,
      inventory: config.inventory,
      vulnerableSoftware: assets.vulnerableSoftware,
    },
    transport: createTransport(http, stats),
    stats,
    scheduler,
    schedules: createScheduleCache(),
    now,
    ...(hooks.onResultLinesDelivered && { onResultLinesDelivered: hooks.onResultLinesDelivered }),
  }
  const t0 = now()
  const hosts = createHosts(config, seed, assets.templates, ctx, t0)
  hosts.forEach((host, i) => {
    scheduler.at(t0 + (i * config.startPeriodMs) / config.hostCount, () => host.boot())
  })
  return { http, scheduler, hosts }
}

function createHosts(
  config: SimulationConfig,
  seed: number,
  templates: ReadonlyMap<string, OsTemplate>,
  ctx: HostContext,
  nowMs: number,
): SimHost[] {
  const hosts: SimHost[] = []
  for (let i = 0; i < config.hostCount; i++) {
    const index = config.hostOffset + i
    const name = templateForHost(index, config.osTemplates)
    const template = templates.get(name)
    if (template === undefined) {
      throw new Error(`OS template ${name} was not loaded`)
    }
    hosts.push(new SimHost(createHostIdentity(seed, index, name, nowMs), template, ctx))
  }
  return hosts
}
