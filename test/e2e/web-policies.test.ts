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

/**
 * The Policies pages in Debian's Chromium against a real `fleet serve`: a policy written in the SQL
 * editor with osquery completion, edited and deleted, the failing-policies webhook (global and a
 * team's), and an observer's view without edit controls. Every page is scanned with axe and must
 * log no console error.
 */
describe('policies pages in a real browser', { timeout: 90_000 }, () => {
  const world = useConsoleWorld({
    prefix: 'web-policies',
    orgName: 'Policies e2e',
    password: ADMIN_PASSWORD,
    enrollSecret: ADMIN_SECRET,
    observer: OBSERVER,
  })

  it('writes a new policy in the SQL editor, completing osquery tables', async () => {
    const { api } = world.current
    const page = await world.openPage()
    await world.login(page, ADMIN)
    await page.getByRole('link', { name: 'Policies', exact: true }).click()
    await page.waitForURL('**/policies/manage')
    await page.getByRole('button', { name: 'Add policy' }).click()
    await page.getByLabel('Name').fill('macOS hosts')
    await page.getByRole('textbox', { name: /^Query/ }).click()
    await page.keyboard.type('SELECT 1 FROM os_ver')
    // The mouse, not Enter: CodeMirror ignores Enter for 75 ms after the list opens.
    await page
      .locator('.cm-tooltip-autocomplete li .cm-completionLabel')
      .filter({ hasText: /^os_version$/ })
      .click()
    await page.keyboard.type(" WHERE platform = 'darwin")
    await world.expectAccessible(page)
    await page.getByRole('button', { name: 'Save policy' }).click()
    await page.getByRole('link', { name: 'macOS hosts' }).waitFor()
    const policies = (await api('GET', '/api/latest/fleet/policies')).policies as {
      name: string
      query: string
    }[]
    expect(policies.find((p) => p.name === 'macOS hosts')?.query).toBe(
      "SELECT 1 FROM os_version WHERE platform = 'darwin'",
    )
    await page.context().close()
  })

  it('edits a policy, deletes one, and sets the failing-policies webhook', async () => {
    const { api, server } = world.current
    await api('POST', '/api/latest/fleet/teams', { name: 'Servers' })
    const policy = asRecord(
      (
        await api('POST', '/api/latest/fleet/policies', {
          name: 'Disk encrypted',
          query: 'SELECT 1',
        })
      ).policy,
    )
    await api('POST', '/api/latest/fleet/policies', { name: 'Doomed', query: 'SELECT 1' })
    const page = await world.openPage()
    await world.login(page, ADMIN)
    await page.getByRole('link', { name: 'Policies', exact: true }).click()
    await page.getByRole('link', { name: 'Disk encrypted' }).click()
    await page.waitForURL(`**/policies/${String(policy.id)}`)
    await expect
      .poll(() => page.getByRole('textbox', { name: /^Query/ }).textContent())
      .toBe('SELECT 1')
    await page.getByLabel('Name').fill('Disk encrypted (FileVault)')
    await page.getByLabel('Resolution').fill('Turn on FileVault in System Settings.')
    await page.getByLabel('macOS').check()
    await page.getByLabel('Critical').check()
    await world.expectAccessible(page)
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
    await world.expectAccessible(page)
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
    const servers = await teamIdByName(api, 'Servers')
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

  it('shows an observer the policies without edit controls', async () => {
    const page = await world.openPage()
    await world.login(page, OBSERVER)
    await page.getByRole('link', { name: 'Policies', exact: true }).click()
    await page.getByRole('link', { name: 'Disk encrypted (FileVault)' }).click()
    await page.getByRole('heading', { name: 'Query' }).waitFor()
    expect(await page.getByRole('button', { name: 'Save policy' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Delete policy' }).count()).toBe(0)
    await world.expectAccessible(page)
    await page.goBack()
    await page.getByRole('link', { name: 'Disk encrypted (FileVault)' }).waitFor()
    expect(await page.getByRole('button', { name: 'Manage automations' }).count()).toBe(0)
    await page.context().close()
  })
})
