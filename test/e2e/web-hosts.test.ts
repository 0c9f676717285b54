import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Simulation } from '../../packages/sim/src/index.js'
import { asRecord, jsonClient, waitFor, type RunningServer } from './support.js'
import { consoleWatches, newContext, seriousA11yViolations } from './web/browser.js'
import {
  startConsoleServer,
  startSimulatedHosts,
  type ConsoleServer,
} from './web/console-server.js'

const PASSWORD = 'web-hosts-password-1!'
const OBSERVER = { email: 'hosts-observer@example.com', password: 'web-hosts-observer-1!' }
const SECRET = 'web-hosts-secret'
const TEAM_SECRET = 'servers-team-secret'
const HOSTS = 4

type Api = ConsoleServer['api']
interface HostRow {
  id: number
  display_name: string
  team_name: string | null
}

/**
 * The hosts pages in Debian's Chromium against a real `fleet serve` with simulated hosts:
 * filters in the URL, the column chooser, CSV export, bulk transfer and delete, Add hosts, the
 * host page's sections and the dashboard's charts; an observer's view. Console errors fail a
 * test and every page is scanned with axe.
 */
describe('hosts pages in a real browser', () => {
  let server: RunningServer
  let dataDir: string
  let browser: Browser
  let simulation: Simulation | undefined
  let api: Api
  let teamId: number
  let policyId: number
  let queryId: number
  const consoles = consoleWatches()

  const hosts = async (query = '') =>
    (await api('GET', `/api/latest/fleet/hosts?order_key=display_name${query}`)).hosts as HostRow[]

  async function openPage(role: 'admin' | 'observer' = 'admin'): Promise<Page> {
    const context = await newContext(browser)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    const page = await context.newPage()
    consoles.watch(page)
    await page.goto(`${server.url}/login`)
    await page.getByLabel('Email').fill(role === 'admin' ? 'admin@example.com' : OBSERVER.email)
    await page.getByLabel('Password').fill(role === 'admin' ? PASSWORD : OBSERVER.password)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL('**/dashboard')
    return page
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page), page.url()).toEqual([])
  }

  const rows = (page: Page) => page.getByRole('table', { name: 'Hosts' }).getByRole('row')

  beforeAll(async () => {
    ;({ dataDir, server, browser, api } = await startConsoleServer({
      prefix: 'web-hosts',
      orgName: 'Hosts e2e',
      password: PASSWORD,
      enrollSecret: SECRET,
    }))
    const team = await api('POST', '/api/latest/fleet/teams', {
      name: 'Servers',
      secrets: [{ secret: TEAM_SECRET }],
    })
    teamId = Number(asRecord(team.team).id)
    const policy = await api('POST', '/api/latest/fleet/global/policies', {
      name: 'Always passes',
      query: 'SELECT 1',
    })
    policyId = Number(asRecord(policy.policy).id)
    const query = await api('POST', '/api/latest/fleet/queries', {
      name: 'Uptime report',
      query: 'SELECT * FROM uptime',
      interval: 1,
    })
    queryId = Number(asRecord(query.query).id)
    await api('POST', '/api/latest/fleet/users/admin', {
      name: 'Observer',
      email: OBSERVER.email,
      password: OBSERVER.password,
      global_role: 'observer',
    })
    simulation = await startSimulatedHosts(
      { server, dataDir },
      {
        enrollSecret: SECRET,
        hostCount: HOSTS,
        osTemplates: [
          { name: 'ubuntu_22.04', weight: 1 },
          { name: 'windows_11', weight: 1 },
        ],
        startPeriodMs: 200,
        queryIntervalMs: 500,
        configIntervalMs: 1000,
        loggerIntervalMs: 1000,
        seed: 5,
      },
    )
    await waitFor('the hosts to enroll and pass the policy', async () => {
      const passing = await hosts(`&policy_id=${policyId}&policy_response=passing`)
      return passing.length === HOSTS && (await hosts()).every((h) => h.display_name !== '')
    })
  })
  afterEach(() => {
    expect(consoles.takeErrors(), 'console errors').toEqual([])
  })
  afterAll(async () => {
    await simulation?.stop()
    await browser?.close()
    await server?.stop()
  })

  it('filters by status, label, policy and platform, all kept in the URL', async () => {
    const [canary] = await hosts()
    const label = await api('POST', '/api/latest/fleet/labels', {
      name: 'Canaries',
      host_ids: [canary?.id],
    })
    const labelId = String(asRecord(label.label).id)
    const page = await openPage()
    await page.goto(`${server.url}/hosts/manage`)
    await expect.poll(() => rows(page).count()).toBe(HOSTS + 1)
    await expectAccessible(page)

    await page
      .getByRole('combobox', { name: 'Label', exact: true })
      .selectOption({ label: 'Canaries' })
    await page.waitForURL((url) => url.searchParams.get('label_id') === labelId)
    await expect.poll(() => rows(page).count()).toBe(2)
    await page.reload()
    await expect.poll(() => rows(page).count()).toBe(2)
    expect(await page.getByRole('combobox', { name: 'Label', exact: true }).inputValue()).toBe(
      labelId,
    )
    await page
      .getByRole('combobox', { name: 'Label', exact: true })
      .selectOption({ label: 'All labels' })
    await expect.poll(() => rows(page).count()).toBe(HOSTS + 1)

    // Every host passes the policy: failing shows none, passing all of them.
    await page
      .getByRole('combobox', { name: 'Policy', exact: true })
      .selectOption({ label: 'Always passes' })
    await page.waitForURL(
      (url) =>
        url.searchParams.get('policy_id') === String(policyId) &&
        url.searchParams.get('policy_response') === 'failing',
    )
    await page.getByText('No hosts match these filters.').waitFor()
    await page.getByRole('combobox', { name: 'Policy result' }).selectOption({ label: 'Passing' })
    await expect.poll(() => rows(page).count()).toBe(HOSTS + 1)

    await page.goto(`${server.url}/hosts/manage?status=offline`)
    await page.getByText('No hosts match these filters.').waitFor()
    expect(await page.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('offline')

    // Platforms are Fleet's built-in labels: the page shows what the server counts for one.
    await page.goto(`${server.url}/hosts/manage`)
    const platform = page.getByRole('combobox', { name: 'Platform' })
    await platform.locator('option').nth(1).waitFor({ state: 'attached' })
    const platformId = await platform.locator('option').nth(1).getAttribute('value')
    await platform.selectOption(platformId ?? '')
    await page.waitForURL((url) => url.searchParams.get('label_id') === platformId)
    const expected = (await api('GET', `/api/latest/fleet/hosts/count?label_id=${platformId}`))
      .count
    await page
      .getByRole('status')
      .getByText(`of ${String(expected)} hosts`)
      .waitFor()
    await page.context().close()
  })

  it('chooses columns and remembers them in this browser', async () => {
    const page = await openPage()
    await page.goto(`${server.url}/hosts/manage`)
    const table = page.getByRole('table', { name: 'Hosts' })
    await table.getByRole('columnheader', { name: 'IP address' }).waitFor()
    await page.getByText('Columns', { exact: true }).click()
    await page.getByRole('checkbox', { name: 'Serial number' }).check()
    await page.getByRole('checkbox', { name: 'IP address' }).uncheck()
    expect(await page.getByRole('checkbox', { name: 'Host', exact: true }).isDisabled()).toBe(true)
    await table.getByRole('columnheader', { name: 'Serial number' }).waitFor()
    expect(await table.getByRole('columnheader', { name: 'IP address' }).count()).toBe(0)
    await page.reload()
    await table.getByRole('columnheader', { name: 'Serial number' }).waitFor()
    expect(await table.getByRole('columnheader', { name: 'IP address' }).count()).toBe(0)
    // A stored value the page cannot read falls back to the default columns.
    await page.evaluate("localStorage.setItem('fleet.hosts.columns', '{broken')")
    await page.reload()
    await table.getByRole('columnheader', { name: 'IP address' }).waitFor()
    expect(await table.getByRole('columnheader', { name: 'Serial number' }).count()).toBe(0)
    await page.context().close()
  })

  it('exports the filtered hosts as CSV with the shown columns', async () => {
    const page = await openPage()
    await page.evaluate(
      `localStorage.setItem('fleet.hosts.columns', JSON.stringify(['display_name', 'status', 'platform']))`,
    )
    await page.goto(`${server.url}/hosts/manage`)
    await expect.poll(() => rows(page).count()).toBe(HOSTS + 1)
    const csv = async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export hosts' }).click(),
      ])
      expect(download.suggestedFilename()).toMatch(/^Hosts \d{4}-\d\d-\d\d\.csv$/)
      return readFileSync(await download.path(), 'utf8')
        .split('\r\n')
        .filter(Boolean)
    }
    const all = await csv()
    expect(all[0]).toBe('display_name,status,platform')
    const names = (await hosts()).map((h) => h.display_name)
    expect(
      all
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual([...names].sort())
    expect(all.slice(1).every((line) => /,online,(ubuntu|windows)$/.test(line))).toBe(true)

    await page.getByLabel('Search hosts').fill(names[0] ?? '')
    await page.getByRole('button', { name: 'Search' }).click()
    await expect.poll(() => rows(page).count()).toBe(2)
    expect(await csv()).toEqual([
      'display_name,status,platform',
      all.find((l) => l.startsWith(`${names[0] ?? ''},`)),
    ])
    await page.context().close()
  })

  it('transfers and deletes the selected hosts', async () => {
    const [first, second] = await hosts()
    const page = await openPage()
    await page.goto(`${server.url}/hosts/manage`)
    await expect.poll(() => rows(page).count()).toBe(HOSTS + 1)
    await page.getByRole('checkbox', { name: `Select ${first?.display_name ?? ''}` }).check()
    const bar = page.getByRole('region', { name: 'Selected hosts' })
    await bar.getByText('1 host selected.').waitFor()
    await expectAccessible(page)
    await bar.getByLabel('Transfer to team').selectOption({ label: 'Servers' })
    await bar.getByRole('button', { name: 'Transfer' }).click()
    await page.getByText('Transferred 1 host to Servers.').waitFor()
    expect((await hosts(`&team_id=${teamId}`)).map((h) => h.id)).toEqual([first?.id])
    await rows(page)
      .filter({ hasText: first?.display_name ?? '' })
      .getByText('Servers')
      .waitFor()

    // Select the page, then clear it: nothing left selected, no bar.
    await page.getByRole('checkbox', { name: 'Select all hosts on this page' }).check()
    await bar.getByText(`${HOSTS} hosts selected.`).waitFor()
    await bar.getByRole('button', { name: 'Clear selection' }).click()
    await bar.waitFor({ state: 'detached' })

    await page.getByRole('checkbox', { name: `Select ${second?.display_name ?? ''}` }).check()
    await bar.getByRole('button', { name: 'Delete' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete 1 host?' })
    await dialog.waitFor()
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Delete 1 host' }).click()
    await page.getByText('Deleted 1 host.').waitFor()
    const call = jsonClient(server.url, readFileSync(join(dataDir, 'tls', 'server.crt'), 'utf8'))
    const token = String(
      (
        await call('POST', '/api/latest/fleet/login', {
          email: 'admin@example.com',
          password: PASSWORD,
        })
      ).json.token,
    )
    const gone = await call(
      'GET',
      `/api/latest/fleet/hosts/${String(second?.id)}`,
      undefined,
      token,
    )
    expect(gone.status).toBe(404)
    await page.context().close()
  })

  it('shows the fleetd command line for the enroll secret of the team chosen', async () => {
    const page = await openPage()
    await page.goto(`${server.url}/hosts/manage`)
    await page.getByRole('button', { name: 'Add hosts' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add hosts' })
    const command = dialog.getByTestId('fleetd-command')
    await expect
      .poll(() => command.textContent())
      .toBe(`fleetd run --fleet-url ${server.url} --enroll-secret ${SECRET}`)
    await expectAccessible(page)
    await dialog.getByLabel('Team').selectOption({ label: 'Servers' })
    await expect
      .poll(() => command.textContent())
      .toBe(`fleetd run --fleet-url ${server.url} --enroll-secret ${TEAM_SECRET}`)
    await dialog.getByLabel(/Server certificate file/).fill('/etc/fleet/my ca.pem')
    await expect
      .poll(() => command.textContent())
      .toContain("--fleet-certificate '/etc/fleet/my ca.pem'")
    await dialog.getByRole('button', { name: 'Copy command' }).click()
    await dialog.getByText('Copied.').waitFor()
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(await command.textContent())
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await page.context().close()
  })

  it("shows a host's vitals, policies, query report and activity, and links to a live query", async () => {
    const [host] = await hosts(`&team_id=${teamId}`)
    await waitFor('the host to report its scheduled query', async () => {
      const report = await api(
        'GET',
        `/api/latest/fleet/hosts/${String(host?.id)}/queries/${queryId}`,
      )
      return (report.results as unknown[]).length > 0
    })
    const page = await openPage()
    await page.goto(`${server.url}/hosts/${String(host?.id)}`)
    await page.getByRole('heading', { name: host?.display_name, level: 1 }).waitFor()
    await page.getByRole('region', { name: 'Vitals' }).getByText('Servers').waitFor()
    await page.getByRole('list', { name: 'Policies' }).getByText('Always passes').waitFor()
    await page.getByText('Uptime report').click()
    await page
      .getByRole('table', { name: 'Uptime report on this host' })
      .getByRole('row')
      .nth(1)
      .waitFor()
    await page
      .getByRole('list', { name: 'Host activity' })
      .getByText(/transferred the host .* to the “Servers” team/)
      .waitFor()
    expect(await page.getByRole('link', { name: 'Query this host' }).getAttribute('href')).toBe(
      `/queries/new/live?host_ids=${String(host?.id)}`,
    )
    await expectAccessible(page)
    await page.context().close()
  })

  it('charts hosts by operating system on the dashboard, scoped by the team switcher', async () => {
    const page = await openPage()
    const chart = page.getByRole('list', { name: 'Hosts by operating system' })
    await chart.getByText(/^Ubuntu/).waitFor()
    await chart.getByText(/^Microsoft Windows/).waitFor()
    await expectAccessible(page)
    await page.getByLabel('Team').selectOption({ label: 'Servers' })
    await expect.poll(() => chart.getByRole('listitem').count()).toBe(1)
    await page.context().close()
  })

  it('gives an observer no bulk actions and no Add hosts, but the export', async () => {
    const page = await openPage('observer')
    await page.goto(`${server.url}/hosts/manage`)
    await expect.poll(() => rows(page).count()).toBeGreaterThan(1)
    expect(await page.getByRole('checkbox').count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Add hosts' }).count()).toBe(0)
    await page.getByRole('button', { name: 'Export hosts' }).waitFor()
    await expectAccessible(page)
    await page.context().close()
  })

  it('transfers every host matching the filters after "Select all"', async () => {
    const unassigned = await hosts('&team_id=0')
    expect(unassigned.length).toBeGreaterThan(1)
    const page = await openPage()
    await page.goto(`${server.url}/hosts/manage?team_id=0`)
    await expect.poll(() => rows(page).count()).toBe(unassigned.length + 1)
    await page
      .getByRole('checkbox', { name: `Select ${unassigned[0]?.display_name ?? ''}` })
      .check()
    const bar = page.getByRole('region', { name: 'Selected hosts' })
    await bar.getByRole('button', { name: `Select all ${unassigned.length} hosts` }).click()
    await bar
      .getByText(`All ${unassigned.length} hosts matching these filters are selected.`)
      .waitFor()
    await bar.getByLabel('Transfer to team').selectOption({ label: 'Servers' })
    await bar.getByRole('button', { name: 'Transfer' }).click()
    await page.getByText(`Transferred ${unassigned.length} hosts to Servers.`).waitFor()
    const moved = new Set((await hosts(`&team_id=${teamId}`)).map((h) => h.id))
    expect(unassigned.every((h) => moved.has(h.id))).toBe(true)
    await page.context().close()
  })
})
