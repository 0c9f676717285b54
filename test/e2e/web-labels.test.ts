import { describe, expect, it } from 'vitest'
import { ADMIN, ADMIN_PASSWORD, ADMIN_SECRET, OBSERVER } from './web/admin-fixtures.js'
import { PHONE } from './web/browser.js'
import { useConsoleWorld } from './web/console-world.js'

/**
 * The Labels pages in Debian's Chromium against a real `fleet serve` with simulated hosts: a
 * dynamic label written in the SQL editor, a manual one picked from hosts, the hosts they filter,
 * and an observer's view without edit controls. Every page is scanned with axe and must log no
 * console error beyond the refusals a test provokes.
 */
describe('labels pages in a real browser', { timeout: 90_000 }, () => {
  const world = useConsoleWorld({
    prefix: 'web-labels',
    orgName: 'Labels e2e',
    password: ADMIN_PASSWORD,
    enrollSecret: ADMIN_SECRET,
    observer: OBSERVER,
    hosts: {
      hostCount: 2,
      osTemplates: [{ name: 'ubuntu_22.04', weight: 1 }],
      startPeriodMs: 200,
      queryIntervalMs: 500,
      configIntervalMs: 1000,
      loggerIntervalMs: 1000,
      seed: 5,
    },
  })

  it('creates a dynamic and a manual label and filters hosts by them', async () => {
    const { api, server } = world.current
    const hosts = (await api('GET', '/api/latest/fleet/hosts')).hosts as {
      id: number
      display_name: string
    }[]
    const member = hosts[0]
    if (!member) {
      throw new Error('no host')
    }
    const page = await world.openPage([/status of 409/, /status of 422/, /status of 400/])
    await world.login(page, ADMIN)
    await page.getByRole('link', { name: 'Labels', exact: true }).click()
    await page.waitForURL('**/labels/manage')
    await page.getByRole('cell', { name: 'All Hosts' }).waitFor()
    await world.expectAccessible(page)

    await page.getByRole('link', { name: 'Add dynamic label' }).click()
    await page.getByLabel('Name').fill('Ubuntu boxes')
    await page.getByLabel(/^Query/).fill("SELECT 1 FROM os_version WHERE platform = 'ubuntu'")
    await page.getByLabel('Platform').selectOption('linux')
    await world.expectAccessible(page)
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
    await world.expectAccessible(page)
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
      query: "SELECT 1 FROM os_version WHERE platform = 'ubuntu'",
      platform: 'linux',
    })

    await row.getByRole('link', { name: 'Edit Pilot group' }).click()
    await page.getByRole('list', { name: 'Chosen hosts' }).getByText(member.display_name).waitFor()
    await world.expectAccessible(page)
    await page.getByRole('link', { name: /^Show its/ }).click()
    await page.waitForURL((url) => url.searchParams.get('label_id') === String(pilot?.id))
    await page.goto(`${server.url}/hosts/manage/labels/${String(pilot?.id)}`)
    await page.waitForURL((url) => url.searchParams.get('label_id') === String(pilot?.id))
    await page.context().close()
  })

  it('fits the labels table on a phone (390 px) without scrolling sideways', async () => {
    const page = await world.openPage([], PHONE)
    await world.login(page, ADMIN)
    await page.getByRole('link', { name: 'Labels', exact: true }).click()
    await page.getByRole('link', { name: 'Pilot group', exact: true }).waitFor()
    // The type and platform columns give way to a line under each name.
    await page
      .getByRole('row')
      .filter({ hasText: 'Pilot group' })
      .getByText('Custom, manual · All platforms')
      .waitFor()
    await page.getByRole('table', { name: 'Labels' }).waitFor()
    // The table's scroller (its parent) is no wider than what it shows.
    const overflow = await page.evaluate(`(() => {
      const scroller = document.querySelector('table').parentElement
      return scroller.scrollWidth - scroller.clientWidth
    })()`)
    expect(overflow).toBe(0)
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    await world.expectAccessible(page)
    await page.context().close()
  })

  it('shows an observer the labels without edit controls', async () => {
    const page = await world.openPage()
    await world.login(page, OBSERVER)
    await page.getByRole('link', { name: 'Labels', exact: true }).click()
    await page.getByRole('link', { name: 'Pilot group', exact: true }).waitFor()
    expect(await page.getByRole('link', { name: 'Add dynamic label' }).count()).toBe(0)
    await world.expectAccessible(page)
    await page.getByRole('link', { name: 'View Pilot group' }).click()
    await page.getByRole('heading', { name: 'Pilot group', level: 1 }).waitFor()
    expect(await page.getByRole('button', { name: 'Save label' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Delete label' }).count()).toBe(0)
    await page.context().close()
  })
})
