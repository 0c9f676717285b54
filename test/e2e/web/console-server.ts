import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import {
  createSimulation,
  type Simulation,
  type SimulationInput,
} from '../../../packages/sim/src/index.js'
import { adminApi, assertBuilt, startFleetServer, type RunningServer } from '../support.js'
import { launchChromium } from './browser.js'

/** A browser test's world before set-up: a real `fleet serve` with no user yet, and Chromium. */
export interface BareConsoleServer {
  dataDir: string
  server: RunningServer
  browser: Browser
}

/** A browser test's world: a real `fleet serve` set up with an admin, and Debian's Chromium. */
export interface ConsoleServer extends BareConsoleServer {
  api: Awaited<ReturnType<typeof adminApi>>
}

/** Starts `fleet serve` in a fresh data directory, not set up (first-run tests), and Chromium. */
export async function startBareConsoleServer(prefix: string): Promise<BareConsoleServer> {
  assertBuilt()
  const dataDir = mkdtempSync(join(tmpdir(), `fleet-${prefix}-`))
  const server = await startFleetServer(dataDir)
  try {
    return { dataDir, server, browser: await launchChromium() }
  } catch (err) {
    // The caller gets no handles to stop in its hook: stop what was started here.
    await server.stop()
    throw err
  }
}

/** How to set up a browser test's server. */
export interface ConsoleServerOptions {
  prefix: string
  orgName: string
  password: string
  enrollSecret: string
  observer?: { email: string; password: string }
}

/**
 * Starts `fleet serve` in a fresh data directory, sets it up (admin@example.com with `password`,
 * the global enroll secret), adds a global observer when asked, and launches Chromium.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const bare = await startBareConsoleServer(options.prefix)
  try {
    const api = await adminApi(bare.server, bare.dataDir, {
      password: options.password,
      orgName: options.orgName,
      enrollSecret: options.enrollSecret,
    })
    if (options.observer) {
      await api('POST', '/api/latest/fleet/users/admin', {
        name: 'Observer',
        email: options.observer.email,
        password: options.observer.password,
        global_role: 'observer',
      })
    }
    return { ...bare, api }
  } catch (err) {
    await bare.browser.close()
    await bare.server.stop()
    throw err
  }
}

/** Starts fleet-sim hosts enrolling into `world`'s server with `enrollSecret` (its CA trusted). */
export async function startSimulatedHosts(
  world: Pick<ConsoleServer, 'server' | 'dataDir'>,
  input: Omit<SimulationInput, 'serverUrl' | 'ca'>,
): Promise<Simulation> {
  const simulation = createSimulation({
    serverUrl: world.server.url,
    ca: readFileSync(join(world.dataDir, 'tls', 'server.crt'), 'utf8'),
    ...input,
  })
  await simulation.start()
  return simulation
}
