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

/** A browser test's world: a real `fleet serve` set up with an admin, and Debian's Chromium. */
export interface ConsoleServer {
  dataDir: string
  server: RunningServer
  browser: Browser
  api: Awaited<ReturnType<typeof adminApi>>
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
  assertBuilt()
  const dataDir = mkdtempSync(join(tmpdir(), `fleet-${options.prefix}-`))
  const server = await startFleetServer(dataDir)
  let browser: Browser | undefined
  try {
    browser = await launchChromium()
    const api = await adminApi(server, dataDir, {
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
    return { dataDir, server, browser, api }
  } catch (err) {
    // The caller gets no handles to stop in its hook: stop what was started here.
    await browser?.close()
    await server.stop()
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
