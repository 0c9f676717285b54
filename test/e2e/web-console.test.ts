import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulation, type Simulation } from '../../packages/sim/src/index.js'
import { asRecord, jsonClient, waitFor, type RunningServer } from './support.js'
import { useBareConsoleWorld } from './web/console-world.js'

const ADMIN = { name: 'Web Admin', email: 'web-admin@example.com', password: 'web-e2e-password-1!' }
const OBSERVER = { email: 'observer@example.com', password: 'web-e2e-observer-1!' }
const SECRET = 'web-e2e-secret'
const HOSTS = 3

/**
 * The web console in Debian's Chromium against a real `fleet serve` with simulated hosts: setup,
 * login, dashboard, hosts, a host, an observer's view, logout and an expired session. Every page
 * is scanned with axe and must log no console error.
 */
describe('web console in a real browser', { timeout: 90_000 }, () => {
  const world = useBareConsoleWorld('web-e2e')
  let server: RunningServer
  let dataDir: string
  let simulation: Simulation | undefined

  const api = () => jsonClient(server.url, readFileSync(join(dataDir, 'tls', 'server.crt'), 'utf8'))
  const openPage = (allow: RegExp[] = []) => world.openPage(allow)
  const expectAccessible = (page: Page) => world.expectAccessible(page)
  const login = (page: Page, email: string, password: string) =>
    world.login(page, { email, password })

  beforeAll(() => {
    ;({ server, dataDir } = world.current)
  })
  // Runs before the world's afterAll (after hooks run in reverse): the hosts stop first.
  afterAll(async () => {
    await simulation?.stop()
  })

  it('sets up the server on first run and lands on the dashboard', async () => {
    const page = await openPage()
    await page.goto(`${server.url}/hosts/manage`)
    await page.waitForURL('**/setup')
    await expectAccessible(page)
    await page.getByLabel('Full name').fill(ADMIN.name)
    await page.getByLabel('Email').fill(ADMIN.email)
    await page.getByLabel('Password').fill(ADMIN.password)
    await page.getByLabel('Organization name').fill('Web e2e')
    await page.getByRole('button', { name: 'Set up' }).click()
    await page.waitForURL('**/dashboard')
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await page.context().close()
  })

  it('shows the enrolled hosts on the dashboard', async () => {
    const call = api()
    const token = String((await call('POST', '/api/latest/fleet/login', ADMIN)).json.token)
    await call(
      'POST',
      '/api/latest/fleet/spec/enroll_secret',
      { spec: { secrets: [{ secret: SECRET }] } },
      token,
    )
    simulation = createSimulation({
      serverUrl: server.url,
      enrollSecret: SECRET,
      ca: readFileSync(join(dataDir, 'tls', 'server.crt'), 'utf8'),
      hostCount: HOSTS,
      osTemplates: [{ name: 'ubuntu_22.04', weight: 1 }],
      startPeriodMs: 200,
      queryIntervalMs: 500,
      configIntervalMs: 1000,
      loggerIntervalMs: 1000,
      seed: 11,
    })
    await simulation.start()
    await waitFor('the hosts to enroll and report vitals', async () => {
      const res = await call('GET', '/api/latest/fleet/hosts?per_page=10', undefined, token)
      const hosts = (res.json.hosts ?? []) as Record<string, unknown>[]
      return hosts.length === HOSTS && hosts.every((h) => h.platform === 'ubuntu')
    })
    await call(
      'POST',
      '/api/latest/fleet/users/admin',
      {
        name: 'Observer',
        email: OBSERVER.email,
        password: OBSERVER.password,
        global_role: 'observer',
      },
      token,
    )

    const page = await openPage()
    await login(page, ADMIN.email, ADMIN.password)
    await expect.poll(() => page.getByTestId('count-total').textContent()).toBe(String(HOSTS))
    expect(await page.getByTestId('count-online').textContent()).toBe(String(HOSTS))
    await page.getByText('ubuntu', { exact: true }).waitFor()
    await expectAccessible(page)
    await page.context().close()
  })

  it('scopes the dashboard and hosts to the team picked in the switcher', async () => {
    const call = api()
    const token = String((await call('POST', '/api/latest/fleet/login', ADMIN)).json.token)
    const team = asRecord(
      (await call('POST', '/api/latest/fleet/teams', { name: 'Servers' }, token)).json.team,
    )
    const hosts = (await call('GET', '/api/latest/fleet/hosts', undefined, token)).json.hosts as {
      id: number
    }[]
    await call(
      'POST',
      '/api/latest/fleet/hosts/transfer',
      { team_id: team.id, hosts: [hosts[0]?.id] },
      token,
    )

    const page = await openPage()
    await login(page, ADMIN.email, ADMIN.password)
    await page.getByLabel('Team').selectOption({ label: 'Servers' })
    await page.waitForURL((url) => url.searchParams.get('team_id') === String(team.id))
    await expect.poll(() => page.getByTestId('count-total').textContent()).toBe('1')
    await page.getByRole('link', { name: 'Hosts', exact: true }).click()
    await page.waitForURL(
      (url) =>
        url.pathname === '/hosts/manage' && url.searchParams.get('team_id') === String(team.id),
    )
    await expect.poll(() => page.getByRole('table').getByRole('row').count()).toBe(2)
    await page.getByRole('table').getByText('Servers').waitFor()
    await page.context().close()
  })

  it('searches hosts, opens one, and offers the admin its edit controls', async () => {
    const page = await openPage()
    await login(page, ADMIN.email, ADMIN.password)
    await page.getByRole('link', { name: 'Hosts', exact: true }).click()
    await page.waitForURL('**/hosts/manage')
    await page.getByRole('table').waitFor()
    expect(await page.getByRole('table').getByRole('row').count()).toBe(HOSTS + 1)
    await expectAccessible(page)

    // Sorting is the server's: the header asks for it and the URL keeps it.
    const firstLink = page.getByRole('table').getByRole('link').first()
    const firstAsc = await firstLink.textContent()
    await page.getByRole('button', { name: 'Host', exact: true }).click()
    await page.waitForURL((url) => url.searchParams.get('order_direction') === 'desc')
    await expect.poll(() => firstLink.textContent()).not.toBe(firstAsc)

    const name = (await firstLink.textContent()) ?? ''
    await page.getByLabel('Search hosts').fill(name)
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL((url) => url.searchParams.get('query') === name)
    await expect.poll(() => page.getByRole('table').getByRole('row').count()).toBe(2)

    await page.getByRole('link', { name }).click()
    await page.waitForURL(/\/hosts\/\d+$/)
    await page.getByRole('heading', { name, level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Delete' }).waitFor()
    await page.getByRole('button', { name: 'Refetch' }).click()
    // Refetch shows progress until the host has reported again.
    await page.getByRole('button', { name: 'Refetch', exact: true }).waitFor({ timeout: 30_000 })
    await expectAccessible(page)
    await page.context().close()
  })

  it('creates a policy and shows it on the policies page and a host page', async () => {
    const page = await openPage()
    await login(page, ADMIN.email, ADMIN.password)
    await page.getByRole('link', { name: 'Policies', exact: true }).click()
    await page.waitForURL('**/policies/manage')
    await page.getByRole('button', { name: 'Add policy' }).click()
    await page.getByLabel('Name').fill('Always passes')
    await page.getByLabel(/^Query/).fill('SELECT 1')
    await page.getByRole('button', { name: 'Save policy' }).click()
    await page.getByRole('cell', { name: 'Always passes' }).waitFor()
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Hosts', exact: true }).click()
    await page.getByRole('table').getByRole('link').first().click()
    await page.waitForURL(/\/hosts\/\d+$/)
    await page.getByRole('list', { name: 'Policies' }).getByText('Always passes').waitFor()
    await page.context().close()
  })

  it('shows an observer no edit controls', async () => {
    const page = await openPage()
    await login(page, OBSERVER.email, OBSERVER.password)
    await page.goto(`${server.url}/hosts/manage`)
    await page.getByRole('table').getByRole('link').first().click()
    await page.waitForURL(/\/hosts\/\d+$/)
    await page.getByRole('heading', { name: 'Vitals' }).waitFor()
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Transfer' }).count()).toBe(0)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Policies', exact: true }).click()
    await page.getByRole('cell', { name: 'Always passes' }).waitFor()
    expect(await page.getByRole('button', { name: 'Add policy' }).count()).toBe(0)
    await page.context().close()
  })

  it('logs out, and sends an expired session back to login with a message', async () => {
    const page = await openPage()
    await login(page, ADMIN.email, ADMIN.password)
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL('**/login')
    await expectAccessible(page)

    await page.context().close()

    // A revoked token left in storage: the server's 401 is expected, then the login page says so.
    const expired = await openPage([/status of 401/])
    await expired.goto(`${server.url}/login`)
    await expired.evaluate("localStorage.setItem('FLEET::auth_token', 'revoked-token')")
    await expired.goto(`${server.url}/hosts/manage`)
    await expired.waitForURL('**/login')
    await expired.getByText('Your session has expired').waitFor()
    await expired.context().close()
  })

  it('keeps API paths out of the app', async () => {
    const res = await api()('GET', '/api/latest/fleet/no-such-thing')
    expect(res.status).toBe(404)
    expect(asRecord(res.json).message).toBe('Resource Not Found')
  })
})
