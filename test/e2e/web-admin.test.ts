import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Simulation } from '../../packages/sim/src/index.js'
import { asRecord, waitFor, type RunningServer } from './support.js'
import { newContext, seriousA11yViolations, watchConsole } from './web/browser.js'
import {
  startConsoleServer,
  startSimulatedHosts,
  type ConsoleServer,
} from './web/console-server.js'

const PASSWORD = 'web-admin-password-1!'
const ADMIN = { email: 'admin@example.com', password: PASSWORD }
const TEAM_ADMIN = { email: 'team-admin@example.com', password: 'team-admin-password-1!' }
const OBSERVER = { email: 'observer@example.com', password: 'observer-password-1!' }
const SECRET = 'web-admin-secret'
const HOSTS = 2

type Api = ConsoleServer['api']

/**
 * The admin pages in Debian's Chromium against a real `fleet serve` with simulated hosts: teams,
 * users with team roles (and what a team admin then sees), labels, enroll secrets, policy editing
 * and the failing-policies webhook, and an observer's view without edit controls. Every page is
 * scanned with axe and must log no console error beyond the refusals a test provokes.
 */
describe('web console admin pages in a real browser', () => {
  let server: RunningServer
  let dataDir: string
  let browser: Browser
  let simulation: Simulation | undefined
  let api: Api
  let consoles: ReturnType<typeof watchConsole>[] = []

  async function openPage(allow: RegExp[] = []): Promise<Page> {
    const page = await (await newContext(browser)).newPage()
    const console = watchConsole(page)
    allow.forEach((re) => console.allow(re))
    consoles.push(console)
    return page
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page), page.url()).toEqual([])
  }

  async function login(page: Page, user: { email: string; password: string }): Promise<void> {
    await page.goto(`${server.url}/login`)
    await page.getByLabel('Email').fill(user.email)
    await page.getByLabel('Password').fill(user.password)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL('**/dashboard')
  }

  const teamId = async (name: string): Promise<number> => {
    const teams = (await api('GET', '/api/latest/fleet/teams')).teams as {
      id: number
      name: string
    }[]
    const team = teams.find((t) => t.name === name)
    if (!team) {
      throw new Error(`no team ${name}`)
    }
    return team.id
  }

  beforeAll(async () => {
    ;({ dataDir, server, browser, api } = await startConsoleServer({
      prefix: 'web-admin-e2e',
      orgName: 'Admin e2e',
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
        configIntervalMs: 1000,
        loggerIntervalMs: 1000,
        seed: 5,
      },
    )
    await waitFor('the hosts to enroll', async () => {
      const hosts = (await api('GET', '/api/latest/fleet/hosts')).hosts as unknown[]
      return hosts.length === HOSTS
    })
  })
  afterEach(() => {
    const errors = consoles.flatMap((c) => c.errors)
    consoles = []
    expect(errors, 'console errors').toEqual([])
  })
  afterAll(async () => {
    await simulation?.stop()
    await browser?.close()
    await server?.stop()
  })

  it('creates a team and a user with a team role, who then sees only that team', async () => {
    await api('POST', '/api/latest/fleet/teams', { name: 'Laptops' })
    const page = await openPage()
    await login(page, ADMIN)
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.waitForURL('**/settings/organization')
    await page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'Users' })
      .click()
    await page.waitForURL('**/settings/users')
    await page.getByRole('cell', { name: ADMIN.email }).waitFor()
    await page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'Teams' })
      .click()
    await page.getByRole('button', { name: 'Create team' }).click()
    await page.getByLabel('Team name').fill('Servers')
    await page.getByRole('button', { name: 'Create team' }).click()
    await page.getByRole('link', { name: 'Servers' }).waitFor()
    await expectAccessible(page)

    await page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'Users' })
      .click()
    await page.getByRole('button', { name: 'Add user' }).click()
    await page.getByLabel('Full name').fill('Team Admin')
    await page.getByLabel('Email').fill(TEAM_ADMIN.email)
    await page.getByLabel(/^Password/).fill(TEAM_ADMIN.password)
    await page.getByLabel('Assign to teams').check()
    await page.getByLabel('Servers').selectOption('admin')
    await page.getByRole('button', { name: 'Create user' }).click()
    await page.getByRole('cell', { name: 'Admin on Servers' }).waitFor()
    await expectAccessible(page)

    await page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'Teams' })
      .click()
    await page.getByRole('link', { name: 'Servers' }).click()
    await page.waitForURL(/\/settings\/teams\/users\?team_id=\d+$/)
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor()
    await page.getByRole('cell', { name: TEAM_ADMIN.email }).waitFor()
    expect(await page.getByLabel('Role of Team Admin').inputValue()).toBe('admin')
    await expectAccessible(page)
    await page.context().close()

    const laptops = await teamId('Laptops')
    const teamPage = await openPage([/status of 403/])
    await login(teamPage, TEAM_ADMIN)
    const switcher = teamPage.getByRole('combobox', { name: 'Team', exact: true })
    await expect.poll(() => switcher.locator('option').allTextContents()).toEqual(['Servers'])
    await teamPage.getByRole('link', { name: 'Settings', exact: true }).click()
    const tabs = teamPage.getByRole('navigation', { name: 'Settings' })
    await tabs.getByRole('link', { name: 'Teams' }).waitFor()
    expect(await tabs.getByRole('link', { name: 'Users' }).count()).toBe(0)
    await tabs.getByRole('link', { name: 'Teams' }).click()
    await teamPage.waitForURL('**/settings/teams')
    await teamPage.getByRole('link', { name: 'Servers' }).waitFor()
    expect(await teamPage.getByRole('link', { name: 'Laptops' }).count()).toBe(0)
    expect(await teamPage.getByRole('button', { name: 'Create team' }).count()).toBe(0)
    await teamPage.getByRole('link', { name: 'Servers' }).click()
    await teamPage.getByRole('button', { name: 'Rename' }).waitFor()
    expect(await teamPage.getByRole('button', { name: 'Delete team' }).count()).toBe(0)
    // A team admin creates users on their own team only (no global role offered).
    await teamPage.getByRole('button', { name: 'Create user' }).click()
    await teamPage.getByLabel('Full name').fill('Team Member')
    await teamPage.getByLabel('Email').fill('team-member@example.com')
    await teamPage.getByLabel(/^Password/).fill('team-member-password-1!')
    expect(await teamPage.getByLabel('Global role').count()).toBe(0)
    await teamPage.getByRole('button', { name: 'Create user' }).click()
    await teamPage.getByRole('cell', { name: 'team-member@example.com' }).waitFor()
    expect(await teamPage.getByLabel('Role of Team Member').inputValue()).toBe('observer')
    // Another team's page, typed in: refused in plain words, not a blank page.
    await teamPage.goto(`${server.url}/settings/teams/users?team_id=${laptops}`)
    await teamPage.getByText("You don't have access").waitFor()
    await teamPage.context().close()
  })

  it('creates a dynamic and a manual label and filters hosts by them', async () => {
    const hosts = (await api('GET', '/api/latest/fleet/hosts')).hosts as {
      id: number
      display_name: string
    }[]
    const member = hosts[0]
    if (!member) {
      throw new Error('no host')
    }
    const page = await openPage([/status of 409/, /status of 422/, /status of 400/])
    await login(page, ADMIN)
    await page.getByRole('link', { name: 'Labels', exact: true }).click()
    await page.waitForURL('**/labels/manage')
    await page.getByRole('cell', { name: 'All Hosts' }).waitFor()
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Add dynamic label' }).click()
    await page.getByLabel('Name').fill('Ubuntu boxes')
    await page.getByLabel(/^Query/).fill("SELECT 1 FROM os_version WHERE platform = 'ubuntu'")
    await page.getByLabel('Platform').selectOption('linux')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Save label' }).click()
    await page.waitForURL('**/labels/manage')
    await page.getByRole('link', { name: 'Ubuntu boxes', exact: true }).waitFor()

    // A second label of the same name: the server's refusal is shown, the form stays.
    await page.getByRole('link', { name: 'Add dynamic label' }).click()
    await page.getByLabel('Name').fill('Ubuntu boxes')
    await page.getByLabel(/^Query/).fill('SELECT 1')
    await page.getByRole('button', { name: 'Save label' }).click()
    await page.getByRole('alert').waitFor()
    expect(page.url()).toContain('/labels/new/dynamic')

    await page.goto(`${server.url}/labels/new/manual`)
    await page.getByLabel('Name').fill('Pilot group')
    await page.getByLabel('Find hosts to add').fill(member.display_name)
    await page.getByRole('button', { name: `Add ${member.display_name}` }).click()
    await page.getByRole('list', { name: 'Chosen hosts' }).getByText(member.display_name).waitFor()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Save label' }).click()
    await page.waitForURL('**/labels/manage')
    const row = page.getByRole('row').filter({ hasText: 'Pilot group' })
    await expect.poll(() => row.getByRole('cell').nth(3).textContent()).toBe('1')
    const labels = (await api('GET', '/api/latest/fleet/labels')).labels as Record<
      string,
      unknown
    >[]
    const pilot = labels.find((l) => l.name === 'Pilot group')
    expect(pilot?.label_membership_type).toBe('manual')
    expect(labels.find((l) => l.name === 'Ubuntu boxes')).toMatchObject({
      label_membership_type: 'dynamic',
      platform: 'linux',
    })

    await row.getByRole('link', { name: 'Edit Pilot group' }).click()
    await page.getByRole('list', { name: 'Chosen hosts' }).getByText(member.display_name).waitFor()
    await expectAccessible(page)
    await page.getByRole('link', { name: /^Show its/ }).click()
    await page.waitForURL((url) => url.searchParams.get('label_id') === String(pilot?.id))
    await page.goto(`${server.url}/hosts/manage/labels/${String(pilot?.id)}`)
    await page.waitForURL((url) => url.searchParams.get('label_id') === String(pilot?.id))
    await page.context().close()
  })

  it('adds and deletes global and team enroll secrets', async () => {
    const page = await openPage()
    await login(page, ADMIN)
    await page.goto(`${server.url}/settings/enroll-secrets`)
    const list = page.getByRole('list', { name: 'Global enroll secrets list' })
    await list.getByText(SECRET).waitFor()
    await page.getByLabel('New secret').fill('second-secret')
    await page.getByRole('button', { name: 'Add secret' }).click()
    await list.getByText('second-secret').waitFor()
    await page.getByLabel('New secret').fill(SECRET)
    await page.getByRole('button', { name: 'Add secret' }).click()
    await page.getByText('That secret is already in the list.').waitFor()
    await expectAccessible(page)
    await list
      .getByRole('listitem')
      .filter({ hasText: 'second-secret' })
      .getByRole('button', { name: 'Delete' })
      .click()
    await page.getByRole('button', { name: 'Confirm' }).click()
    await expect.poll(() => list.getByText('second-secret').count()).toBe(0)
    const global = asRecord((await api('GET', '/api/latest/fleet/spec/enroll_secret')).spec)
    expect((global.secrets as { secret: string }[]).map((s) => s.secret)).toEqual([SECRET])

    const servers = await teamId('Servers')
    await page.goto(`${server.url}/settings/teams/users?team_id=${servers}`)
    await page.getByRole('button', { name: 'Generate' }).click()
    const generated = await page.getByLabel('New secret').inputValue()
    expect(generated).toMatch(/^[A-Za-z0-9_-]{32}$/)
    await page.getByRole('button', { name: 'Add secret' }).click()
    await page
      .getByRole('list', { name: 'Team enroll secrets list' })
      .getByText(generated)
      .waitFor()
    const team = (await api('GET', `/api/latest/fleet/teams/${servers}/secrets`)).secrets as {
      secret: string
    }[]
    expect(team.map((s) => s.secret)).toContain(generated)
    await page.context().close()
  })

  it('edits a policy, deletes one, and sets the failing-policies webhook', async () => {
    const policy = asRecord(
      (
        await api('POST', '/api/latest/fleet/policies', {
          name: 'Disk encrypted',
          query: 'SELECT 1',
        })
      ).policy,
    )
    await api('POST', '/api/latest/fleet/policies', { name: 'Doomed', query: 'SELECT 1' })
    const page = await openPage()
    await login(page, ADMIN)
    await page.getByRole('link', { name: 'Policies', exact: true }).click()
    await page.getByRole('link', { name: 'Disk encrypted' }).click()
    await page.waitForURL(`**/policies/${String(policy.id)}`)
    await page.getByLabel('Name').fill('Disk encrypted (FileVault)')
    await page.getByLabel('Resolution').fill('Turn on FileVault in System Settings.')
    await page.getByLabel('macOS').check()
    await page.getByLabel('Critical').check()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Save policy' }).click()
    await page.waitForURL('**/policies/manage')
    await page.getByRole('link', { name: 'Disk encrypted (FileVault)' }).waitFor()
    const saved = asRecord(
      (await api('GET', `/api/latest/fleet/policies/${String(policy.id)}`)).policy,
    )
    expect(saved).toMatchObject({
      name: 'Disk encrypted (FileVault)',
      resolution: 'Turn on FileVault in System Settings.',
      platform: 'darwin',
      critical: true,
    })

    await page.getByRole('link', { name: 'Doomed' }).click()
    await page.getByRole('button', { name: 'Delete policy' }).click()
    await page.getByRole('button', { name: 'Confirm' }).click()
    await page.waitForURL('**/policies/manage')
    await page.getByRole('link', { name: 'Disk encrypted (FileVault)' }).waitFor()
    await expect.poll(() => page.getByRole('link', { name: 'Doomed' }).count()).toBe(0)

    await page.getByRole('button', { name: 'Manage automations' }).click()
    await page.getByLabel('Enable the failing-policies webhook').check()
    await page.getByLabel('Destination URL').fill('ftp://hooks.example.com')
    await page.getByLabel(/^Host batch size/).fill('5')
    await page.getByRole('button', { name: 'Save automations' }).click()
    await page.getByText('Destination URL must be an http:// or https:// address.').waitFor()
    await page.getByLabel('Destination URL').fill('https://hooks.example.com/fleet')
    await page
      .getByRole('group', { name: 'Policies that trigger it' })
      .getByLabel('Disk encrypted (FileVault)')
      .check()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Save automations' }).click()
    await page.getByText('Webhook settings saved.').waitFor()
    const config = asRecord((await api('GET', '/api/latest/fleet/config')).webhook_settings)
    expect(config.failing_policies_webhook).toEqual({
      enable_failing_policies_webhook: true,
      destination_url: 'https://hooks.example.com/fleet',
      policy_ids: [policy.id],
      host_batch_size: 5,
    })

    // The team in scope has its own webhook, stored in the team's settings.
    const servers = await teamId('Servers')
    await page.goto(`${server.url}/policies/manage?team_id=${servers}`)
    // The team's view lists the global policies its hosts inherit.
    await page
      .getByRole('table', { name: 'Inherited policies' })
      .getByRole('link', { name: 'Disk encrypted (FileVault)' })
      .waitFor()
    await page.getByRole('button', { name: 'Manage automations' }).click()
    await page.getByLabel('Destination URL').fill('https://team-hooks.example.com/')
    await page.getByRole('button', { name: 'Save automations' }).click()
    await page.getByText('Webhook settings saved.').waitFor()
    const team = asRecord((await api('GET', `/api/latest/fleet/teams/${servers}`)).team)
    expect(asRecord(team.webhook_settings).failing_policies_webhook).toMatchObject({
      destination_url: 'https://team-hooks.example.com/',
      enable_failing_policies_webhook: false,
    })
    await page.context().close()
  })

  it('shows an observer no edit controls, and refuses the admin pages in plain words', async () => {
    const page = await openPage([/status of 403/])
    await login(page, OBSERVER)
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    const tabs = page.getByRole('navigation', { name: 'Settings' })
    await tabs.getByRole('link', { name: 'Organization settings' }).waitFor()
    for (const tab of ['Users', 'Teams', 'Enroll secrets']) {
      expect(await tabs.getByRole('link', { name: tab }).count()).toBe(0)
    }
    await page.getByRole('link', { name: 'Labels', exact: true }).click()
    await page.getByRole('link', { name: 'Pilot group', exact: true }).waitFor()
    expect(await page.getByRole('link', { name: 'Add dynamic label' }).count()).toBe(0)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'View Pilot group' }).click()
    await page.getByRole('heading', { name: 'Pilot group', level: 1 }).waitFor()
    expect(await page.getByRole('button', { name: 'Save label' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Delete label' }).count()).toBe(0)

    await page.getByRole('link', { name: 'Policies', exact: true }).click()
    await page.getByRole('link', { name: 'Disk encrypted (FileVault)' }).click()
    await page.getByRole('heading', { name: 'Query' }).waitFor()
    expect(await page.getByRole('button', { name: 'Save policy' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Delete policy' }).count()).toBe(0)
    await expectAccessible(page)
    await page.goBack()
    await page.getByRole('link', { name: 'Disk encrypted (FileVault)' }).waitFor()
    expect(await page.getByRole('button', { name: 'Manage automations' }).count()).toBe(0)

    for (const path of ['/settings/users', '/settings/enroll-secrets']) {
      await page.goto(`${server.url}${path}`)
      await page.getByText("You don't have access").waitFor()
      expect(await page.getByRole('button', { name: /Add|Delete/ }).count()).toBe(0)
    }
    await expectAccessible(page)
    await page.context().close()
  })

  it("changes the user's own name and password on the account page", async () => {
    const page = await openPage([/status of 4\d\d/])
    await login(page, TEAM_ADMIN)
    await page.getByRole('link', { name: 'Team Admin' }).click()
    await page.waitForURL('**/account')
    await page.getByText('Admin on Servers').waitFor()
    await expectAccessible(page)
    await page.getByLabel('Full name').fill('Team Lead')
    await page.getByRole('button', { name: 'Save name' }).click()
    await page.getByRole('link', { name: 'Team Lead' }).waitFor()

    const next = 'team-lead-password-2!'
    await page.getByLabel('Current password').fill('wrong-password-1!')
    await page.getByLabel(/^New password/).fill(next)
    await page.getByLabel('Confirm new password').fill(next)
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByRole('alert').waitFor()
    expect(await page.getByText('Password changed.').count()).toBe(0)
    await page.getByLabel('Current password').fill(TEAM_ADMIN.password)
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByText('Password changed.').waitFor()
    await page.context().close()

    const again = await openPage()
    await login(again, { email: TEAM_ADMIN.email, password: next })
    await again.context().close()
  })
})
