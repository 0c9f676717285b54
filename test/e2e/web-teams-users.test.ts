import { describe, expect, it } from 'vitest'
import { asRecord } from './support.js'
import {
  ADMIN,
  ADMIN_PASSWORD,
  ADMIN_SECRET,
  OBSERVER,
  teamIdByName,
} from './web/admin-fixtures.js'
import { useConsoleWorld } from './web/console-world.js'

const SECRET = ADMIN_SECRET
const TEAM_ADMIN = { email: 'team-admin@example.com', password: 'team-admin-password-1!' }

/**
 * Teams, users and enroll secrets in Debian's Chromium against a real `fleet serve`: users with
 * team roles (and what a team admin then sees), global and team enroll secrets, an observer's
 * settings without the admin tabs, and the account page. Every page is scanned with axe and must
 * log no console error beyond the refusals a test provokes.
 */
describe('teams, users and enroll secrets pages in a real browser', { timeout: 90_000 }, () => {
  const world = useConsoleWorld({
    prefix: 'web-teams-users',
    orgName: 'Admin e2e',
    password: ADMIN_PASSWORD,
    enrollSecret: SECRET,
    observer: OBSERVER,
  })

  it('creates a team and a user with a team role, who then sees only that team', async () => {
    const { api, server } = world.current
    await api('POST', '/api/latest/fleet/teams', { name: 'Laptops' })
    const page = await world.openPage()
    await world.login(page, ADMIN)
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
    await world.expectAccessible(page)

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
    await world.expectAccessible(page)

    await page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'Teams' })
      .click()
    await page.getByRole('link', { name: 'Servers' }).click()
    await page.waitForURL(/\/settings\/teams\/users\?team_id=\d+$/)
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor()
    await page.getByRole('cell', { name: TEAM_ADMIN.email }).waitFor()
    expect(await page.getByLabel('Role of Team Admin').inputValue()).toBe('admin')
    await world.expectAccessible(page)
    await page.context().close()

    const laptops = await teamIdByName(api, 'Laptops')
    const teamPage = await world.openPage([/status of 403/])
    await world.login(teamPage, TEAM_ADMIN)
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

  it('adds and deletes global and team enroll secrets', async () => {
    const { api, server } = world.current
    const page = await world.openPage()
    await world.login(page, ADMIN)
    await page.goto(`${server.url}/settings/enroll-secrets`)
    const list = page.getByRole('list', { name: 'Global enroll secrets list' })
    await list.getByText(SECRET).waitFor()
    await page.getByLabel('New secret').fill('second-secret')
    await page.getByRole('button', { name: 'Add secret' }).click()
    await list.getByText('second-secret').waitFor()
    await page.getByLabel('New secret').fill(SECRET)
    await page.getByRole('button', { name: 'Add secret' }).click()
    await page.getByText('That secret is already in the list.').waitFor()
    await world.expectAccessible(page)
    await list
      .getByRole('listitem')
      .filter({ hasText: 'second-secret' })
      .getByRole('button', { name: 'Delete' })
      .click()
    await page.getByRole('button', { name: 'Confirm' }).click()
    await expect.poll(() => list.getByText('second-secret').count()).toBe(0)
    const global = asRecord((await api('GET', '/api/latest/fleet/spec/enroll_secret')).spec)
    expect((global.secrets as { secret: string }[]).map((s) => s.secret)).toEqual([SECRET])

    const servers = await teamIdByName(api, 'Servers')
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

  it('shows an observer no admin settings, and refuses the admin pages in plain words', async () => {
    const { server } = world.current
    const page = await world.openPage([/status of 403/])
    await world.login(page, OBSERVER)
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    const tabs = page.getByRole('navigation', { name: 'Settings' })
    await tabs.getByRole('link', { name: 'Organization settings' }).waitFor()
    for (const tab of ['Users', 'Teams', 'Enroll secrets']) {
      expect(await tabs.getByRole('link', { name: tab }).count()).toBe(0)
    }
    for (const path of ['/settings/users', '/settings/enroll-secrets']) {
      await page.goto(`${server.url}${path}`)
      await page.getByText("You don't have access").waitFor()
      expect(await page.getByRole('button', { name: /Add|Delete/ }).count()).toBe(0)
    }
    await world.expectAccessible(page)
    await page.context().close()
  })

  it("changes the user's own name and password on the account page", async () => {
    const page = await world.openPage([/status of 4\d\d/])
    await world.login(page, TEAM_ADMIN)
    await page.getByRole('link', { name: 'Team Admin' }).click()
    await page.waitForURL('**/account')
    await page.getByText('Admin on Servers').waitFor()
    await world.expectAccessible(page)
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

    const again = await world.openPage()
    await world.login(again, { email: TEAM_ADMIN.email, password: next })
    await again.context().close()
  })
})
