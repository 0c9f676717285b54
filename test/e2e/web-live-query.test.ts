import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { stopAfterTest, stopProcesses } from '@fleet/test-support'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FLEETD_BIN, ROOT, waitFor, type RunningServer } from './support.js'
import type { ConsoleServer } from './web/console-server.js'
import { useConsoleWorld } from './web/console-world.js'

const PASSWORD = 'live-e2e-password-1!'
const OBSERVER = { email: 'live-observer@example.com', password: 'live-e2e-observer-1!' }
const SECRET = 'live-e2e-secret'
const SIM_HOSTS = 3

interface HostRow {
  id: number
  hostname: string
  display_name: string
  status: string
}

/**
 * The live query page in Chromium against a real `fleet serve`, three simulated hosts (which
 * answer any live query with sample rows) and one real `fleetd` (which runs the SQL on this
 * machine): pick targets, run, stream, errors, CSV, stop, a dropped socket, refusals.
 */
describe('live query page in a real browser', () => {
  let server: RunningServer
  let api: ConsoleServer['api']
  let fleetd: HostRow
  let sims: HostRow[]
  const world = useConsoleWorld({
    prefix: 'web-live',
    orgName: 'Live e2e',
    password: PASSWORD,
    enrollSecret: SECRET,
    observer: OBSERVER,
    hosts: {
      hostCount: SIM_HOSTS,
      osTemplates: [{ name: 'ubuntu_22.04', weight: 1 }],
      startPeriodMs: 200,
      queryIntervalMs: 500,
      configIntervalMs: 1000,
      loggerIntervalMs: 1000,
      seed: 21,
    },
  })
  const openPage = (allow: RegExp[] = []) => world.openPage(allow)
  const login = (page: Page, email = 'admin@example.com', password = PASSWORD) =>
    world.login(page, { email, password })
  const expectAccessible = (page: Page) => world.expectAccessible(page)

  const progress = (page: Page) =>
    page
      .getByTestId('live-progress')
      .textContent()
      .then((t) => (t ?? '').replace(/\s+/g, ' ').trim())

  const liveUrl = (sql: string, hostIds: number[] = []) =>
    `${server.url}/queries/new/live?sql=${encodeURIComponent(sql)}` +
    (hostIds.length > 0 ? `&host_ids=${hostIds.join(',')}` : '')

  // After the world's beforeAll (hooks run in order): this machine's fleetd joins the sim hosts.
  beforeAll(async () => {
    ;({ server, api } = world.current)
    const cert = join(world.current.dataDir, 'tls', 'server.crt')
    // The real agent: asks for live queries every second (after `--`, osqueryd's own flag).
    const fleetdOutput: string[] = []
    const agent = stopAfterTest(
      spawn(
        process.execPath,
        [
          FLEETD_BIN,
          'run',
          '--fleet-url',
          server.url,
          '--enroll-secret',
          SECRET,
          '--fleet-certificate',
          cert,
          '--root-dir',
          mkdtempSync(join(tmpdir(), 'fleetd-live-e2e-')),
          '--config-interval',
          '2',
          '--',
          '--distributed_interval=1',
        ],
        { cwd: ROOT, env: { ...process.env, FLEETD_ENROLL_RETRY_INTERVAL: '1' }, stdio: 'pipe' },
      ),
    )
    agent.stdout.on('data', (c: Buffer) => fleetdOutput.push(c.toString()))
    agent.stderr.on('data', (c: Buffer) => fleetdOutput.push(c.toString()))
    const hosts = await waitFor(
      'the simulated hosts and fleetd to enroll and be online',
      async () => {
        const list = (await api('GET', '/api/latest/fleet/hosts')).hosts as HostRow[]
        return list.length === SIM_HOSTS + 1 && list.every((h) => h.status === 'online')
          ? list
          : undefined
      },
      { timeoutMs: 60_000 },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\nfleetd output:\n${fleetdOutput.join('')}`)
    })
    // fleetd is this machine; the others are simulated.
    const real = hosts.find((h) => h.hostname === hostname())
    if (!real) {
      throw new Error(`no host is this machine (${hostname()}): ${JSON.stringify(hosts)}`)
    }
    fleetd = real
    sims = hosts.filter((h) => h !== real)
  }, 120_000)
  // Runs before the world's afterAll (after hooks run in reverse): fleetd stops first.
  afterAll(stopProcesses)

  it('picks hosts and labels with counts, streams rows from fleetd and simulated hosts, exports CSV and stops', async () => {
    const page = await openPage()
    await login(page)
    await page.getByRole('link', { name: 'Live query' }).click()
    await page.waitForURL('**/queries/new/live')
    await page.getByTestId('target-count').getByText('Pick hosts').waitFor()
    await expectAccessible(page)

    await page.goto(liveUrl('SELECT hostname FROM system_info'))
    expect(await page.getByLabel('SQL').inputValue()).toBe('SELECT hostname FROM system_info')
    await page.getByLabel('Search hosts, labels and teams').fill(fleetd.hostname)
    await page
      .getByRole('button', { name: `${fleetd.display_name} (host): add to targets` })
      .click()
    await expect
      .poll(() => page.getByTestId('target-count').textContent())
      .toBe('1 host targeted (1 online)')
    await page.getByLabel('Search hosts, labels and teams').fill('All Hosts')
    await page.getByRole('button', { name: 'All Hosts (label): add to targets' }).click()
    await expect
      .poll(() => page.getByTestId('target-count').textContent())
      .toBe(`${SIM_HOSTS + 1} hosts targeted (${SIM_HOSTS + 1} online)`)
    // A chip removes what was picked, and the count follows.
    await page.getByRole('button', { name: 'Remove label All Hosts' }).click()
    await expect
      .poll(() => page.getByTestId('target-count').textContent())
      .toBe('1 host targeted (1 online)')
    // Teams: every host here has none, so "No team" reaches them all.
    await page.getByLabel('Search hosts, labels and teams').fill('no team')
    await page.getByRole('button', { name: 'No team (team): add to targets' }).click()
    await expect
      .poll(() => page.getByTestId('target-count').textContent())
      .toBe(`${SIM_HOSTS + 1} hosts targeted (${SIM_HOSTS + 1} online)`)
    await page.getByRole('button', { name: 'Remove team No team' }).click()
    await page.getByLabel('Search hosts, labels and teams').fill('All Hosts')
    await page.getByRole('button', { name: 'All Hosts (label): add to targets' }).click()
    await expect.poll(() => page.getByTestId('target-count').textContent()).toMatch(/^4 hosts/)

    await page.getByRole('button', { name: 'Run' }).click()
    await expect
      .poll(() => progress(page), { timeout: 45_000 })
      .toBe(
        `${SIM_HOSTS + 1} responded / ${SIM_HOSTS + 1} online / ${SIM_HOSTS + 1} total — every online host answered`,
      )
    const results = page.getByRole('region', { name: /^Results, \d+ rows$/ })
    // fleetd answered the SQL on this machine; the simulated hosts with their sample rows.
    await results.getByRole('columnheader', { name: 'hostname', exact: true }).waitFor()
    await results.getByRole('cell', { name: fleetd.hostname, exact: true }).first().waitFor()
    for (const sim of sims) {
      await results.getByRole('cell', { name: sim.display_name, exact: true }).first().waitFor()
    }
    const rowCount = Number(/\d+/.exec((await results.getAttribute('aria-label')) ?? '')?.[0])
    expect(rowCount).toBeGreaterThan(SIM_HOSTS)
    await expectAccessible(page)

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const csv = readFileSync(await download.path(), 'utf8')
    const lines = csv.split('\r\n')
    expect(lines[0]?.startsWith('host_display_name,host_hostname,')).toBe(true)
    expect(lines[0]?.split(',')).toContain('hostname')
    expect(lines).toHaveLength(rowCount + 2)
    expect(csv).toContain(`${fleetd.display_name},${fleetd.hostname},`)

    await page.getByRole('button', { name: 'Stop' }).click()
    await page.getByText('Stopped. The hosts are no longer asked.').waitFor()
    expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Run again' }).isEnabled()).toBe(true)
    await page.context().close()
  })

  it("shows a host's failed answer in the errors tab", async () => {
    const page = await openPage()
    await login(page)
    await page.goto(liveUrl('SELECT * FROM no_such_table', [fleetd.id, sims[0]!.id]))
    await page
      .getByRole('list', { name: 'Selected targets' })
      .getByText(fleetd.display_name)
      .waitFor()
    await expect
      .poll(() => page.getByTestId('target-count').textContent())
      .toBe('2 hosts targeted (2 online)')
    await page.getByRole('button', { name: 'Run' }).click()
    await expect.poll(() => progress(page), { timeout: 45_000 }).toMatch(/^2 responded/)
    await page.getByRole('tab', { name: 'Errors (1)' }).click()
    const errors = page.getByRole('table', { name: 'Hosts that reported an error' })
    await errors.getByRole('link', { name: fleetd.display_name }).waitFor()
    expect(await errors.textContent()).toMatch(/no_such_table/)
    await expectAccessible(page)
    await page.getByRole('tab', { name: /^Results/ }).click()
    await page.getByRole('cell', { name: sims[0]!.display_name, exact: true }).first().waitFor()
    // Following a link to a new live query starts afresh, inside the app.
    await page.getByRole('link', { name: 'Live query' }).click()
    await page.getByTestId('target-count').getByText('Pick hosts').waitFor()
    expect(await page.getByLabel('SQL').inputValue()).toBe('')
    expect(await page.getByTestId('live-progress').count()).toBe(0)
    await page.context().close()
  })

  it('says when the results socket drops, reconnects, and still gets the answer lost in the drop', async () => {
    const page = await openPage()
    let connections = 0
    // The first connection breaks as the first answer comes: the answer is swallowed and both
    // ends see an error close (4000), as when a proxy cuts the connection.
    await page.routeWebSocket(/\/results\/websocket$/, (ws) => {
      connections += 1
      const upstream = ws.connectToServer()
      if (connections > 1) {
        return
      }
      upstream.onMessage((message) => {
        if (typeof message === 'string' && message.includes('"type":"result"')) {
          void upstream.close({ code: 4000, reason: 'cut by the test' })
          void ws.close({ code: 4000, reason: 'cut by the test' })
          return
        }
        ws.send(message)
      })
    })
    await login(page)
    await page.goto(liveUrl('SELECT 1 AS one', [sims[1]!.id]))
    await expect
      .poll(() => page.getByTestId('target-count').textContent())
      .toBe('1 host targeted (1 online)')
    await page.getByRole('button', { name: 'Run' }).click()
    await page.getByText('Connection to the results stream lost.').waitFor()
    await page.getByText('Reconnected to the results stream.').waitFor({ timeout: 30_000 })
    await expect.poll(() => progress(page), { timeout: 30_000 }).toMatch(/^1 responded \/ 1 online/)
    await page.getByRole('cell', { name: sims[1]!.display_name, exact: true }).first().waitFor()
    expect(connections).toBe(2)
    await page.getByRole('button', { name: 'Stop' }).click()
    await page.getByText('Stopped.').waitFor()
    await page.context().close()
  })

  it('shows a server failure to start the query instead of a spinner', async () => {
    const page = await openPage([/status of 500/])
    await page.route('**/api/latest/fleet/queries/run', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ message: 'database is down', errors: [] }),
      }),
    )
    await login(page)
    await page.goto(liveUrl('SELECT 1', [sims[0]!.id]))
    await expect.poll(() => page.getByTestId('target-count').textContent()).toMatch(/^1 host/)
    await page.getByRole('button', { name: 'Run' }).click()
    await page.getByRole('alert').getByText('The server had a problem').waitFor()
    expect(await page.getByRole('alert').textContent()).toContain('database is down')
    expect(await page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true)
    expect(await page.getByText('Starting…').count()).toBe(0)
    await page.context().close()
  })

  it('lets an observer run only saved queries that allow it, and says why otherwise', async () => {
    const open = (await api('POST', '/api/latest/fleet/queries', {
      name: 'Observers may run',
      query: 'SELECT 1 AS one',
      observer_can_run: true,
    })) as { query: { id: number } }
    const closed = (await api('POST', '/api/latest/fleet/queries', {
      name: 'Admins only',
      query: 'SELECT 2 AS two',
    })) as { query: { id: number } }
    const page = await openPage([/status of 404/])
    await login(page, OBSERVER.email, OBSERVER.password)
    await page.goto(liveUrl('SELECT 1', [sims[0]!.id]))
    await page.getByText('Your role can run only saved queries').waitFor()
    expect(await page.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true)
    await expectAccessible(page)

    await page.goto(`${server.url}/queries/${closed.query.id}/live?host_ids=${sims[0]!.id}`)
    await page.getByRole('heading', { name: 'Live query: Admins only' }).waitFor()
    await page.getByText('Your role cannot run this query live').waitFor()
    expect(await page.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true)

    await page.goto(`${server.url}/queries/${open.query.id}/live?host_ids=${sims[0]!.id}`)
    await page.getByRole('heading', { name: 'Live query: Observers may run' }).waitFor()
    await expect.poll(() => page.getByTestId('target-count').textContent()).toMatch(/^1 host/)
    await page.getByRole('button', { name: 'Run' }).click()
    await expect.poll(() => progress(page), { timeout: 45_000 }).toMatch(/^1 responded/)
    await page.getByRole('button', { name: 'Stop' }).click()

    await page.goto(`${server.url}/queries/999999/live`)
    await page.getByText('Not found').waitFor()
    await page.context().close()
  })
})
