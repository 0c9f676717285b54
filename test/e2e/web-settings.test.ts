import { afterAll, describe, expect, it } from 'vitest'
import { FLEET_API } from '@fleet/test-support'
import { asRecord } from './support.js'
import { useConsoleWorld } from './web/console-world.js'
import { startImageServer, type ImageServer } from './web/image-server.js'

const PASSWORD = 'web-settings-password-1!'
const OBSERVER = { email: 'observer@example.com', password: 'web-settings-observer-1!' }

/** Agent options with an unknown osquery option on line 5 and a wrong flag type on line 8. */
const BAD_OPTIONS = `config:
  options:
    distributed_interval: 10
    logger_tls_period: 10
    not_a_real_option: true
command_line_flags:
  verbose: true
  disable_watchdog: "not a boolean"
`

/**
 * Organization settings, agent options and the activity feed in Chromium against a real
 * `fleet serve`: the server's validation errors at the YAML line they concern, settings saved
 * and refused, the activity they leave, an observer's read-only view, and a 5xx that ends in an
 * error rather than a spinner.
 */
describe('settings and activity in a real browser', { timeout: 90_000 }, () => {
  const world = useConsoleWorld({
    prefix: 'web-settings',
    orgName: 'Settings e2e',
    password: PASSWORD,
    enrollSecret: 'web-settings-secret',
    observer: OBSERVER,
  })
  const ADMIN = { email: 'admin@example.com', password: PASSWORD }
  let logo: ImageServer | undefined
  afterAll(async () => {
    await logo?.stop()
  })

  it("shows the server's agent options errors at the lines they concern, then saves", async () => {
    const { api } = world.current
    const page = await world.openPage([/status of 400/])
    await world.login(page, ADMIN)
    await page.getByRole('link', { name: 'Settings' }).click()
    await page.getByRole('link', { name: 'Agent options' }).click()
    await page.waitForURL('**/settings/organization/agents')
    const editor = page.getByLabel('Global agent options (YAML)')
    await expect.poll(() => editor.inputValue()).toContain('distributed_interval')
    await world.expectAccessible(page)

    await editor.fill(BAD_OPTIONS)
    await page.getByRole('button', { name: 'Save' }).click()
    const problems = page.getByRole('list', { name: 'Problems' })
    await problems.getByText('not_a_real_option', { exact: false }).waitFor()
    const items = await problems.getByRole('listitem').allTextContents()
    expect(items).toHaveLength(2)
    expect(items.find((t) => t.includes('not_a_real_option'))).toMatch(/^Line 5/)
    expect(items.find((t) => t.includes('disable_watchdog'))).toMatch(/^Line 8/)
    await world.expectAccessible(page)
    // Nothing was stored.
    const unchanged = asRecord((await api('GET', `${FLEET_API}/config`)).agent_options)
    expect(JSON.stringify(unchanged)).not.toContain('not_a_real_option')

    // A YAML syntax error is caught before the server and shown at its line too.
    await editor.fill('config:\n  options:\n    a: 1\n   b: [\n')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => problems.getByRole('listitem').first().textContent()).toMatch(/^Line 4/)

    // "Line N" selects that line in the editor.
    await editor.fill(BAD_OPTIONS)
    await page.getByRole('button', { name: 'Save' }).click()
    await problems.getByRole('button', { name: 'Line 8' }).click()
    const selected = await page.evaluate(`(() => {
      const el = document.getElementById('agent-options')
      return el.value.slice(el.selectionStart, el.selectionEnd)
    })()`)
    expect(selected).toBe('  disable_watchdog: "not a boolean"')

    // With force the server stores an option it does not know (a newer osquery's).
    await editor.fill('config:\n  options:\n    a_newer_osquery_option: 1\n')
    await page.getByLabel(/force/).check()
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Agent options saved.').waitFor()
    const forced = asRecord((await api('GET', `${FLEET_API}/config`)).agent_options)
    expect(forced.config).toEqual({ options: { a_newer_osquery_option: 1 } })
    await page.getByLabel(/force/).uncheck()

    await editor.fill(
      BAD_OPTIONS.replace('    not_a_real_option: true\n', '').replace('"not a boolean"', 'true'),
    )
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Agent options saved.').waitFor()
    expect(await problems.count()).toBe(0)
    const saved = asRecord((await api('GET', `${FLEET_API}/config`)).agent_options)
    expect(saved.command_line_flags).toEqual({ verbose: true, disable_watchdog: true })
    await page.context().close()
  })

  it("shows a team's agent options errors at their lines", async () => {
    const { api, server } = world.current
    const team = asRecord((await api('POST', `${FLEET_API}/teams`, { name: 'Laptops' })).team)
    const page = await world.openPage([/status of 400/])
    await world.login(page, ADMIN)
    await page.goto(`${server.url}/settings/teams/${String(team.id)}/options`)
    const editor = page.getByLabel('Team agent options (YAML)')
    await editor.waitFor()
    await editor.fill('config:\n  options:\n    distributed_interval: "soon"\n')
    await page.getByRole('button', { name: 'Save' }).click()
    const item = page.getByRole('list', { name: 'Problems' }).getByRole('listitem')
    await expect.poll(() => item.first().textContent()).toMatch(/^Line 3.*distributed_interval/)
    await editor.fill('config:\n  options:\n    distributed_interval: 30\n')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Agent options saved.').waitFor()
    const saved = asRecord((await api('GET', `${FLEET_API}/teams/${String(team.id)}`)).team)
    expect(saved.agent_options).toEqual({ config: { options: { distributed_interval: 30 } } })
    await page.goto(`${server.url}/settings/teams/abc/options`)
    await page.getByText('"abc" is not a team id').waitFor()
    await page.context().close()
  })

  it('saves the organization settings, and refuses bad values with the reason', async () => {
    const { api, server } = world.current
    const page = await world.openPage([/status of 422|status of 400/])
    await world.login(page, ADMIN)
    await page.goto(`${server.url}/settings/organization`)
    const name = page.getByLabel('Organization name')
    await expect.poll(() => name.inputValue()).toBe('Settings e2e')
    await world.expectAccessible(page)

    await name.fill('Acme Security')
    await page.getByLabel('Fleet app URL').fill('https://fleet.acme.example')
    await page.getByLabel('Delete hosts that have not checked in').check()
    await page.getByLabel('Host expiry window (days)').fill('30')
    // A logo on another https origin: the CSP lets it load (a refusal is a console error).
    logo = await startImageServer(world.current.dataDir)
    await page.getByLabel('Organization avatar URL').fill(logo.url)
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Organization settings saved.').waitFor()
    await page.getByRole('banner').getByRole('img', { name: 'Acme Security logo' }).waitFor()
    const loadedWidth = `(() => {
      const img = document.querySelector('header img')
      return img && img.complete ? img.naturalWidth : 0
    })()`
    await expect.poll(() => page.evaluate(loadedWidth)).toBe(1)
    expect(logo.requests()).toBeGreaterThan(0)
    const config = await api('GET', `${FLEET_API}/config`)
    expect(asRecord(config.org_info).org_name).toBe('Acme Security')
    expect(asRecord(config.server_settings).server_url).toBe('https://fleet.acme.example')
    expect(config.host_expiry_settings).toEqual({
      host_expiry_enabled: true,
      host_expiry_window: 30,
    })

    await page.getByLabel('Host expiry window (days)').fill('-3')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Host expiry window must be a whole number of 0 or more.').waitFor()

    await page.getByLabel('Host expiry window (days)').fill('30')
    await page.getByLabel('Host status destination URL').fill('ftp://example.com/hook')
    await page.getByLabel('Host status webhook').check()
    await page.getByRole('button', { name: 'Save' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toMatch(/Request refused/)
    const after = asRecord((await api('GET', `${FLEET_API}/config`)).webhook_settings)
    expect(asRecord(after.host_status_webhook).enable_host_status_webhook).toBe(false)
    await page.context().close()
  })

  it('lists what happened in the activity feed, in plain words', async () => {
    const page = await world.openPage()
    await world.login(page, ADMIN)
    await page.getByRole('link', { name: 'All activity' }).click()
    await page.waitForURL('**/activity')
    const feed = page.getByRole('list', { name: 'Activities' })
    await feed.getByText('Admin edited the organization settings.').first().waitFor()
    await feed.getByText('Admin edited the global agent options.').first().waitFor()
    await feed.getByText('Admin edited the agent options of the “Laptops” team.').waitFor()
    await feed.getByText('Admin created the team “Laptops”.').waitFor()
    await world.expectAccessible(page)
    await page.context().close()
  })

  it('shows an observer the settings read-only, without edit controls', async () => {
    const { server } = world.current
    const page = await world.openPage()
    await world.login(page, OBSERVER)
    await page.goto(`${server.url}/settings/organization`)
    const name = page.getByLabel('Organization name')
    await expect.poll(() => name.inputValue()).toBe('Acme Security')
    expect(await name.getAttribute('readonly')).not.toBeNull()
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0)
    await page.getByText('Only global admins can change these settings.').waitFor()
    await world.expectAccessible(page)
    await page.goto(`${server.url}/settings/organization/agents`)
    await page.getByText('Only global admins can see the global agent options.').waitFor()
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0)
    await page.goto(`${server.url}/activity`)
    await page.getByRole('list', { name: 'Activities' }).waitFor()
    await page.context().close()
  })

  it("lets a team admin edit their team's agent options, not the global ones", async () => {
    const { api, server } = world.current
    const teams = (await api('GET', `${FLEET_API}/teams`)).teams as Record<string, unknown>[]
    const laptops = teams.find((t) => t.name === 'Laptops')
    const other = asRecord((await api('POST', `${FLEET_API}/teams`, { name: 'Servers' })).team)
    await api('POST', `${FLEET_API}/users/admin`, {
      name: 'Tess Teamadmin',
      email: 'team-admin@example.com',
      password: 'web-settings-team-1!',
      teams: [{ id: laptops?.id, role: 'admin' }],
    })
    const page = await world.openPage([/status of 403/])
    await world.login(page, { email: 'team-admin@example.com', password: 'web-settings-team-1!' })
    await page.goto(`${server.url}/settings/organization/agents`)
    await page.getByText('Only global admins can see the global agent options.').waitFor()
    await page.getByLabel('Options for').selectOption({ label: 'Team: Laptops' })
    await page.waitForURL(`**/settings/teams/${String(laptops?.id)}/options`)
    const editor = page.getByLabel('Team agent options (YAML)')
    await expect.poll(() => editor.inputValue()).toContain('distributed_interval: 30')
    expect(await editor.getAttribute('readonly')).toBeNull()
    await page.getByRole('button', { name: 'Save' }).waitFor()
    await world.expectAccessible(page)
    // Another team's options are not theirs to see: the server's 403 in plain words.
    await page.goto(`${server.url}/settings/teams/${String(other.id)}/options`)
    await page.getByText("You don't have access").waitFor()
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0)
    await page.context().close()
  })

  it('ends a server error in an error with "Try again", not a spinner', async () => {
    const { server } = world.current
    const page = await world.openPage([/status of 500/, /status of 502/])
    await world.login(page, ADMIN)
    await page.route('**/api/latest/fleet/config', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ message: 'database is down', errors: [] }),
      }),
    )
    await page.route('**/api/latest/fleet/activities*', (route) =>
      route.fulfill({
        status: 502,
        contentType: 'text/html',
        body: '<html>Bad gateway</html>',
      }),
    )
    await page.goto(`${server.url}/settings/organization`)
    await page.getByText('The server had a problem').waitFor()
    await page.getByText('database is down').waitFor()
    expect(await page.getByText('Loading the organization settings…').count()).toBe(0)
    await page.getByRole('button', { name: 'Try again' }).waitFor()
    await page.goto(`${server.url}/activity`)
    await page.getByText('The server had a problem').waitFor()
    expect(await page.getByText('Loading activity…').count()).toBe(0)
    await page.unrouteAll()
    await page.getByRole('button', { name: 'Try again' }).click()
    await page.getByRole('list', { name: 'Activities' }).waitFor()
    await page.context().close()
  })
})
