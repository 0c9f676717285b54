import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

/** Debian's Chromium, installed by `.ci/run` (apt-get install chromium). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags that work on this machine and keep Chromium from reaching the internet. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Headless Chromium with a fresh profile (playwright makes a temporary user data dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS })
}

/** A laptop's screen, and a phone's (the sizes issue 10 asks the console to be usable at). */
export const LAPTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }

/** A context that trusts the server's self-signed certificate, at a laptop's size by default. */
export function newContext(
  browser: Browser,
  viewport: { width: number; height: number } = LAPTOP,
): Promise<BrowserContext> {
  return browser.newContext({ ignoreHTTPSErrors: true, viewport })
}

/**
 * Collects every console error and uncaught exception of a page. `allowed` lists the messages a
 * test expects (the 401 Chromium logs when the server refuses an expired token).
 */
export function watchConsole(page: Page): { errors: string[]; allow(pattern: RegExp): void } {
  const errors: string[] = []
  const allowed: RegExp[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowed.some((re) => re.test(msg.text()))) {
      errors.push(msg.text())
    }
  })
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`))
  return { errors, allow: (pattern) => allowed.push(pattern) }
}

/**
 * The console watches of one test file's pages: `watch` each page as it opens, and `takeErrors`
 * in an `afterEach` (every error seen since, then a fresh start).
 */
export function consoleWatches() {
  let watches: ReturnType<typeof watchConsole>[] = []
  return {
    watch(page: Page): ReturnType<typeof watchConsole> {
      const watch = watchConsole(page)
      watches.push(watch)
      return watch
    },
    last: () => watches[watches.length - 1],
    takeErrors(): string[] {
      const errors = watches.flatMap((w) => w.errors)
      watches = []
      return errors
    },
  }
}

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: number
}

/**
 * Runs axe-core on the page and returns its serious and critical violations. The engine goes in
 * through the DevTools protocol, so the page's CSP (no inline script) stays in force.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE)
  // A string, not a function: these tests compile without the DOM's types.
  const violations = (await page.evaluate(`axe.run(document).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }))
  )`)) as AxeViolation[]
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** Logs in through the console's login page and waits for the dashboard. */
export async function logIn(page: Page, serverUrl: string, email: string, password: string) {
  await page.goto(`${serverUrl}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL('**/dashboard')
}
