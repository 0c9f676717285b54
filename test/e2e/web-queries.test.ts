import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Simulation } from '../../packages/sim/src/index.js'
import { FLEETD_BIN, ROOT, waitFor, type RunningServer } from './support.js'
import { consoleWatches, logIn, newContext, seriousA11yViolations } from './web/browser.js'
import {
  startConsoleServer,
  startSimulatedHosts,
  type ConsoleServer,
} from './web/console-server.js'

const PASSWORD = 'web-queries-password-1!'
const OBSERVER = { email: 'query-observer@example.com', password: 'web-queries-observer-1!' }
const SECRET = 'web-queries-secret'
const HOSTS = 2
const QUERY_NAME = 'Linux versions'

/**
 * The Queries pages in Debian's Chromium against a real `fleet serve` with simulated hosts: write a
 * query in the CodeMirror editor with osquery completion, save it, find it, change its schedule,
 * see its report once the hosts send results, and check an observer's read-only view. Every page
 * is scanned with axe and must log no console error.
 */
// Each test drives several pages of a real server on a machine shared with other builds: the
// default 30 s is not always enough under load, and nothing here waits on a timer.
describe('queries pages in a real browser', { timeout: 90_000 }, () => {
  let server: RunningServer
  let dataDir: string
  let browser: Browser
  let simulation: Simulation | undefined
  let api: ConsoleServer['api']
  let queryId = 0
  const consoles = consoleWatches()
  const openPage = async (): Promise<Page> => {
    const page = await (await newContext(browser)).newPage()
    consoles.watch(page)
    return page
  }
  const login = (page: Page, email: string, password: string) =>
    logIn(page, server.url, email, password)

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page), page.url()).toEqual([])
  }

  /**
   * Types into the editor and picks the completion offered for `label` with the mouse. (Enter
   * would do too, but CodeMirror ignores it for 75 ms after the list opens, against accidental
   * picks; on a loaded machine a test can press it within that window.)
   */
  async function typeAndComplete(page: Page, text: string, label: string): Promise<void> {
    await page.keyboard.type(text)
    await page
      .locator('.cm-tooltip-autocomplete li .cm-completionLabel')
      .filter({ hasText: new RegExp(`^${label}$`) })
      .click()
  }

  beforeAll(async () => {
    ;({ dataDir, server, browser, api } = await startConsoleServer({
      prefix: 'web-queries',
      orgName: 'Queries e2e',
      password: PASSWORD,
      enrollSecret: SECRET,
      observer: OBSERVER,
    }))
    simulation = await startSimulatedHosts(
      { server, dataDir },
      {
        enrollSecret: SECRET,
        hostCount: HOSTS,
        osTemplates: [{ name: 'ubuntu_22.04', weight: 1 }],
        startPeriodMs: 200,
        queryIntervalMs: 500,
        configIntervalMs: 500,
        loggerIntervalMs: 500,
        seed: 5,
      },
    )
  })
  afterEach(() => {
    expect(consoles.takeErrors(), 'console errors').toEqual([])
  })
  afterAll(async () => {
    await simulation?.stop()
    await browser?.close()
    await server?.stop()
  })

  it("completes from the schema of fleetd's own tables (the committed file is not stale)", () => {
    const printed = execFileSync(process.execPath, [FLEETD_BIN, 'query', '--schema'], {
      encoding: 'utf8',
    })
    const committed = readFileSync(
      join(ROOT, 'packages/web/src/generated/osquery-schema.json'),
      'utf8',
    )
    expect(JSON.parse(committed)).toEqual(JSON.parse(printed))
  })

  it('writes a query with table and column completion, saves it and finds it in the list', async () => {
    const page = await openPage()
    await login(page, 'admin@example.com', PASSWORD)
    await page.getByRole('link', { name: 'Queries', exact: true }).click()
    await page.waitForURL('**/queries/manage')
    await page.getByText('No saved queries yet.').waitFor()
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Add query' }).click()
    await page.waitForURL('**/queries/new')
    await page.getByLabel('Name', { exact: true }).fill(QUERY_NAME)
    await page.getByLabel('Description').fill('OS version of every Linux host')
    await page.getByRole('textbox', { name: 'SQL' }).click()
    await typeAndComplete(page, 'SELECT version FROM os_v', 'os_version')
    await typeAndComplete(page, ' WHERE plat', 'platform')
    // Inserted, not typed: no completion or bracket closing is wanted here.
    await page.keyboard.insertText(" = 'ubuntu'")
    const sql = page.getByRole('textbox', { name: 'SQL' })
    // The editor draws its document on the next frame: wait for it rather than read it at once.
    await expect
      .poll(() => sql.textContent())
      .toBe("SELECT version FROM os_version WHERE platform = 'ubuntu'")
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Save query' }).click()
    await page.waitForURL(/\/queries\/\d+$/)
    queryId = Number(new URL(page.url()).pathname.split('/').pop())
    await page.getByRole('heading', { name: QUERY_NAME, level: 1 }).waitFor()
    const saved = (await api('GET', `/api/latest/fleet/queries/${queryId}`)).query
    expect(saved).toMatchObject({
      name: QUERY_NAME,
      query: "SELECT version FROM os_version WHERE platform = 'ubuntu'",
      interval: 0,
      logging: 'snapshot',
    })

    // A second query, so search and sorting have something to do.
    await api('POST', '/api/latest/fleet/queries', { name: 'Admins only', query: 'SELECT 1' })
    await page.getByRole('link', { name: '← All queries' }).click()
    await expect.poll(() => page.getByRole('table').getByRole('row').count()).toBe(3)
    const firstName = page.getByRole('table').getByRole('row').nth(1).getByRole('link')
    await expect.poll(() => firstName.textContent()).toBe('Admins only')
    await page.getByRole('button', { name: 'Name' }).click()
    await page.waitForURL((url) => url.searchParams.get('order_direction') === 'desc')
    await expect.poll(() => firstName.textContent()).toBe(QUERY_NAME)
    await page.getByLabel('Search queries').fill('linux')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL((url) => url.searchParams.get('query') === 'linux')
    await expect.poll(() => page.getByRole('table').getByRole('row').count()).toBe(2)
    await page.getByRole('cell', { name: /OS version of every Linux host/ }).waitFor()
    await page.getByLabel('Search queries').fill('nothing like this')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByText('No queries match your search.').waitFor()
    await page.context().close()
  })

  it("edits the schedule, showing the server's refusal of a bad version in plain words", async () => {
    const page = await openPage()
    await login(page, 'admin@example.com', PASSWORD)
    // Chromium logs the refused save; the page must say why in words.
    consoles.last()?.allow(/status of 400/)
    await page.goto(`${server.url}/queries/${queryId}`)
    await page.getByLabel('Minimum osquery version').fill('five')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page
      .getByText('Minimum osquery version: must be a version like 5.4.0, or empty')
      .waitFor()
    await page.getByLabel('Minimum osquery version').fill('5.4.0')
    await page.getByLabel('Frequency').selectOption({ label: 'Every 5 minutes' })
    await page.getByRole('checkbox', { name: 'Linux' }).check()
    await page.getByLabel('Observers can run this query').check()
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByText('Query saved.').waitFor()
    expect((await api('GET', `/api/latest/fleet/queries/${queryId}`)).query).toMatchObject({
      interval: 300,
      platform: 'linux',
      min_osquery_version: '5.4.0',
      observer_can_run: true,
      logging: 'snapshot',
    })
    await page.reload()
    expect(await page.getByLabel('Frequency').inputValue()).toBe('300')
    expect(await page.getByRole('checkbox', { name: 'Linux' }).isChecked()).toBe(true)
    await page.getByText('No results yet: hosts send them after they next run the query.').waitFor()
    await expectAccessible(page)
    await page.context().close()
  })

  it('shows the report with links to the hosts once simulated hosts send results', async () => {
    // Five minutes is the form's shortest frequency; one second lets the simulated hosts run it
    // within the test (the API accepts any interval up to a week).
    await api('PATCH', `/api/latest/fleet/queries/${queryId}`, { interval: 1 })
    await waitFor('both hosts to send results', async () => {
      const report = await api('GET', `/api/latest/fleet/queries/${queryId}/report`)
      const hosts = new Set((report.results as { host_id: number }[]).map((r) => r.host_id))
      return hosts.size === HOSTS
    })
    const page = await openPage()
    await login(page, 'admin@example.com', PASSWORD)
    await page.goto(`${server.url}/queries/${queryId}`)
    const report = page.getByRole('table', { name: 'Query report' })
    await report.waitFor()
    expect(await page.getByLabel('Frequency').inputValue()).toBe('1')
    for (const column of ['Host', 'hostname', 'row', 'Last fetched']) {
      await report.getByRole('columnheader', { name: column, exact: true }).waitFor()
    }
    const hostLink = report.getByRole('link').first()
    const hostName = (await hostLink.textContent()) ?? ''
    expect(hostName).not.toBe('')
    await expectAccessible(page)
    await hostLink.click()
    await page.waitForURL(/\/hosts\/\d+$/)
    await page.getByRole('heading', { name: hostName, level: 1 }).waitFor()
    await page.context().close()
  })

  it('shows an observer queries read-only, with live query only where observers may run', async () => {
    const hidden = (await api('POST', '/api/latest/fleet/queries', {
      name: 'Not for observers',
      query: 'SELECT * FROM users',
    })) as { query: { id: number } }
    const page = await openPage()
    await login(page, OBSERVER.email, OBSERVER.password)
    await page.goto(`${server.url}/queries/manage`)
    // Fleet lists observers only the queries they may run.
    await expect.poll(() => page.getByRole('table').getByRole('row').count()).toBe(2)
    await page.getByRole('link', { name: QUERY_NAME }).waitFor()
    expect(await page.getByRole('link', { name: 'Add query' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /^Delete/ }).count()).toBe(0)
    await expectAccessible(page)

    await page.getByRole('link', { name: QUERY_NAME }).click()
    await page.waitForURL(/\/queries\/\d+$/)
    await page.getByRole('heading', { name: 'Schedule and logging' }).waitFor()
    const sql = page.getByRole('textbox', { name: 'SQL' })
    expect(await sql.getAttribute('contenteditable')).toBe('false')
    expect(await page.getByRole('button', { name: /Save/ }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0)
    expect(await page.getByLabel('Name', { exact: true }).count()).toBe(0)
    const live = page.getByRole('main').getByRole('link', { name: 'Live query' })
    expect(await live.getAttribute('href')).toBe(`/queries/${queryId}/live`)
    await page.getByRole('table', { name: 'Query report' }).waitFor()
    await expectAccessible(page)

    await page.goto(`${server.url}/queries/${hidden.query.id}`)
    await page.getByRole('heading', { name: 'Not for observers' }).waitFor()
    expect(await page.getByRole('main').getByRole('link', { name: 'Live query' }).count()).toBe(0)
    await page.context().close()
  })

  it('deletes a query after asking, and says plainly when a query does not exist', async () => {
    const page = await openPage()
    await login(page, 'admin@example.com', PASSWORD)
    await page.goto(`${server.url}/queries/manage`)
    await page.getByRole('button', { name: 'Delete Admins only' }).click()
    await page.getByRole('button', { name: 'Yes, delete' }).click()
    await page.getByRole('link', { name: 'Admins only' }).waitFor({ state: 'detached' })
    const left = (await api('GET', '/api/latest/fleet/queries')).queries as { name: string }[]
    expect(left.map((q) => q.name).sort()).toEqual([QUERY_NAME, 'Not for observers'])

    consoles.last()?.allow(/status of 404/)
    await page.goto(`${server.url}/queries/999999`)
    await page.getByText('Not found').first().waitFor()
    await page.goto(`${server.url}/queries/not-a-number`)
    await page.getByText('Not found: there is no query').waitFor()
    await page.context().close()
  })
})
