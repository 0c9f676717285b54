import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import type { Simulation, SimulationInput } from '../../../packages/sim/src/index.js'
import { waitFor } from '../support.js'
import { consoleWatches, logIn, newContext, seriousA11yViolations } from './browser.js'
import {
  startBareConsoleServer,
  startConsoleServer,
  startSimulatedHosts,
  type BareConsoleServer,
  type ConsoleServer,
  type ConsoleServerOptions,
} from './console-server.js'

/** A user who logs in through the console's login page. */
export interface Login {
  email: string
  password: string
}

/** What a browser test file's hooks set up, and the helpers its tests share. */
export interface ConsoleWorld<W extends BareConsoleServer = ConsoleServer> {
  /** The running server, Chromium (and admin API once set up), inside tests after `beforeAll`. */
  readonly current: W
  /** The simulated hosts, when the file asked for them. */
  readonly simulation: Simulation | undefined
  /**
   * A new page in a fresh context (a laptop's screen unless `viewport` says otherwise), its
   * console watched; `allow` lists expected console errors.
   */
  openPage(allow?: RegExp[], viewport?: { width: number; height: number }): Promise<Page>
  login(page: Page, user: Login): Promise<void>
  /** Fails the test on a serious or critical axe violation of the page. */
  expectAccessible(page: Page): Promise<void>
}

/** Simulated hosts to start once the server is up, and wait for until all have enrolled. */
export type WorldHosts = Omit<
  SimulationInput,
  'serverUrl' | 'ca' | 'enrollSecret' | 'hostCount'
> & {
  hostCount: number
}

/**
 * Registers a browser test file's hooks: `beforeAll` starts the server set up with an admin (and
 * simulated hosts, all enrolled before the tests start), `afterEach` fails a test whose pages
 * logged console errors, `afterAll` stops the hosts, Chromium and the server — whatever of them
 * was started. A file's own `beforeAll` registered after this one runs once the world is up.
 *
 * @example const world = useConsoleWorld({ prefix: 'web-labels', ... }); world.current.server.url
 */
export function useConsoleWorld(
  options: ConsoleServerOptions & { hosts?: WorldHosts },
): ConsoleWorld {
  const { hosts } = options
  return registerWorld(
    () => startConsoleServer(options),
    hosts &&
      (async (started) => {
        const simulation = await startSimulatedHosts(started, {
          ...hosts,
          enrollSecret: options.enrollSecret,
        })
        await waitFor('the simulated hosts to enroll', async () => {
          const listed = (await started.api('GET', '/api/latest/fleet/hosts')).hosts
          return Array.isArray(listed) && listed.length === hosts.hostCount
        })
        return simulation
      }),
  )
}

/** The same hooks around a server nobody has set up yet (first-run set-up in the browser). */
export function useBareConsoleWorld(prefix: string): ConsoleWorld<BareConsoleServer> {
  return registerWorld(() => startBareConsoleServer(prefix))
}

function registerWorld<W extends BareConsoleServer>(
  start: () => Promise<W>,
  afterStart?: (world: W) => Promise<Simulation>,
): ConsoleWorld<W> {
  let world: W | undefined
  let simulation: Simulation | undefined
  const consoles = consoleWatches()

  beforeAll(async () => {
    world = await start()
    simulation = await afterStart?.(world)
  })
  afterEach(() => {
    expect(consoles.takeErrors(), 'console errors').toEqual([])
  })
  afterAll(async () => {
    await simulation?.stop()
    await world?.browser.close()
    await world?.server.stop()
  })

  const current = (): W => {
    if (!world) {
      throw new Error('the console server is not running (used outside a test?)')
    }
    return world
  }
  return {
    get current() {
      return current()
    },
    get simulation() {
      return simulation
    },
    async openPage(allow = [], viewport = undefined) {
      const page = await (await newContext(current().browser, viewport)).newPage()
      const watch = consoles.watch(page)
      allow.forEach((re) => watch.allow(re))
      return page
    },
    login: (page, user) => logIn(page, current().server.url, user.email, user.password),
    async expectAccessible(page) {
      expect(await seriousA11yViolations(page), page.url()).toEqual([])
    },
  }
}
