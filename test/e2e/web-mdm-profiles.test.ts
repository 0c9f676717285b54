import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { asRecord } from './support.js'
import { ADMIN, ADMIN_PASSWORD as PASSWORD, OBSERVER } from './web/admin-fixtures.js'
import type { ConsoleServer } from './web/console-server.js'
import { useConsoleWorld } from './web/console-world.js'

const PROFILES = '/api/latest/fleet/configuration_profiles'
const PASSCODE = readFileSync(
  new URL('../../../shared/fixtures/mdm/passcode-settings.json', import.meta.url),
)

/** A `.mobileconfig` as Apple's tools write one (unsigned XML plist). */
function mobileconfig(name: string, identifier: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>PayloadContent</key><array><dict>
<key>PayloadType</key><string>com.apple.dock</string>
<key>PayloadIdentifier</key><string>${identifier}.dock</string>
<key>PayloadUUID</key><string>6E0F6A54-9A5C-4C8F-8A36-1E1F2C3D4B5A</string>
<key>PayloadVersion</key><integer>1</integer>
<key>autohide</key><true/>
</dict></array>
<key>PayloadDisplayName</key><string>${name}</string>
<key>PayloadIdentifier</key><string>${identifier}</string>
<key>PayloadType</key><string>Configuration</string>
<key>PayloadUUID</key><string>3C8A1E2B-5D4F-4A6B-9C7D-8E9F0A1B2C3D</string>
<key>PayloadVersion</key><integer>1</integer>
</dict></plist>
`)
}

type Api = ConsoleServer['api']
interface ProfileJson {
  profile_uuid: string
  name: string
  labels_include_any?: { name: string }[]
}

/**
 * Controls → OS settings → Custom settings in Debian's Chromium against a real `fleet serve`:
 * upload with label scoping, the server's refusal of a bad file shown as it says it, listing,
 * download, delete with confirmation, a deleted label's "broken" warning, the summary's links
 * to the hosts page, teams, an observer kept out, and both layouts. Console errors fail a test;
 * every page is scanned with axe.
 */
describe('Controls → OS settings → Custom settings in a real browser', { timeout: 90_000 }, () => {
  const world = useConsoleWorld({
    prefix: 'web-mdm-profiles',
    orgName: 'Profiles e2e',
    password: PASSWORD,
    enrollSecret: 'web-mdm-profiles-secret',
    observer: OBSERVER,
  })
  const api: Api = (...args) => world.current.api(...args)

  const profiles = async (teamId = 0) =>
    (await api('GET', `${PROFILES}?team_id=${teamId}`)).profiles as ProfileJson[]

  async function openPage(who: 'admin' | 'observer' = 'admin', allow: RegExp[] = []) {
    const page = await world.openPage(allow)
    // A missing element fails its step with the locator's name, not the whole test's timeout.
    page.setDefaultTimeout(15_000)
    await world.login(page, who === 'admin' ? ADMIN : OBSERVER)
    return page
  }

  const table = (page: Page) => page.getByRole('table', { name: 'Configuration profiles' })
  const row = (page: Page, name: string) =>
    table(page)
      .getByRole('row')
      .filter({ has: page.getByText(name, { exact: true }) })

  async function upload(page: Page, file: { name: string; buffer: Buffer }, labels?: string[]) {
    await page.getByRole('button', { name: 'Add profile' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add configuration profile' })
    await dialog.getByLabel('Profile (.mobileconfig or .json)').setInputFiles({
      name: file.name,
      mimeType: 'application/octet-stream',
      buffer: file.buffer,
    })
    if (labels) {
      await dialog.getByLabel('Custom').check()
      await dialog.getByLabel('Label mode').selectOption({ label: 'Include any' })
      for (const label of labels) {
        await dialog.getByRole('checkbox', { name: label }).check()
      }
    }
    await dialog.getByRole('button', { name: 'Upload' }).click()
    return dialog
  }

  beforeAll(async () => {
    for (const name of ['Pilot Macs', 'Kiosks']) {
      await api('POST', '/api/latest/fleet/labels', { name, query: 'SELECT 1' })
    }
  })

  it('uploads profiles with label scoping and shows the server refusing a bad file', async () => {
    const page = await openPage('admin', [/status of 400/, /status of 409/])
    await page.getByRole('link', { name: 'Controls', exact: true }).click()
    await page.waitForURL('**/controls/os-settings/custom-settings')
    await page.getByText('No configuration profiles yet', { exact: false }).waitFor()
    await world.expectAccessible(page)

    // Nothing chosen: the form says so before calling the server.
    await page.getByRole('button', { name: 'Add profile' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add configuration profile' })
    await dialog.getByRole('button', { name: 'Upload' }).click()
    await dialog.getByText('Choose a .mobileconfig or .json file.').waitFor()
    await dialog.getByLabel('Custom').check()
    await dialog.getByRole('checkbox', { name: 'Pilot Macs' }).waitFor()
    await world.expectAccessible(page)
    await dialog.getByRole('button', { name: 'Close' }).click()

    // A file the server refuses: its message in the dialog, which stays open; nothing stored.
    const refused = await upload(page, {
      name: 'broken.mobileconfig',
      buffer: Buffer.from('<plist'),
    })
    await refused.getByRole('alert').filter({ hasText: 'Request refused' }).waitFor()
    const said = await refused
      .getByRole('alert')
      .filter({ hasText: 'Request refused' })
      .textContent()
    expect(said).toContain('Couldn’t add. The file should include valid XML.')
    expect(await profiles()).toEqual([])
    await refused.getByRole('button', { name: 'Close' }).click()

    const dock = mobileconfig('Dock settings', 'com.example.dock')
    await upload(page, { name: 'dock.mobileconfig', buffer: dock }, ['Pilot Macs'])
    await row(page, 'Dock settings').waitFor()
    await expect.poll(() => row(page, 'Dock settings').textContent()).toContain('Include any')
    expect(await row(page, 'Dock settings').textContent()).toContain('Pilot Macs')
    expect(await row(page, 'Dock settings').textContent()).toContain('.mobileconfig')
    const [stored] = await profiles()
    expect(stored?.labels_include_any?.map((l) => l.name)).toEqual(['Pilot Macs'])

    await upload(page, { name: 'passcode-settings.json', buffer: PASSCODE })
    await row(page, 'passcode-settings').waitFor()
    expect(await row(page, 'passcode-settings').textContent()).toContain('Declaration (DDM)')
    expect(await row(page, 'passcode-settings').textContent()).toContain('All hosts')

    // The same name again: the server's 409 in words.
    const again = await upload(page, { name: 'dock.mobileconfig', buffer: dock })
    await again.getByRole('alert').waitFor()
    expect(await again.getByRole('alert').textContent()).toContain(
      'Couldn’t add. A configuration profile with this name already exists',
    )
    await again.getByRole('button', { name: 'Close' }).click()
    await world.expectAccessible(page)
    await page.context().close()
  })

  it('downloads a profile as uploaded and deletes one after confirmation', async () => {
    const page = await openPage()
    await page.goto(`${world.current.server.url}/controls/os-settings/custom-settings`)
    await row(page, 'Dock settings').waitFor()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Dock settings' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/Dock settings\.mobileconfig$/)
    expect(readFileSync(await download.path(), 'utf8')).toBe(
      mobileconfig('Dock settings', 'com.example.dock').toString('utf8'),
    )

    await page.getByRole('button', { name: 'Delete passcode-settings' }).click()
    const confirm = page.getByRole('group', { name: 'Delete passcode-settings' })
    await confirm.getByText('It is removed from the hosts that have it').waitFor()
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    expect((await profiles()).map((p) => p.name)).toContain('passcode-settings')
    await page.getByRole('button', { name: 'Delete passcode-settings' }).click()
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => row(page, 'passcode-settings').count()).toBe(0)
    expect((await profiles()).map((p) => p.name)).toEqual(['Dock settings'])
    await page.context().close()
  })

  it("flags a profile whose label was deleted, and links the summary's counts to hosts", async () => {
    const page = await openPage()
    await page.goto(`${world.current.server.url}/controls/os-settings/custom-settings`)
    await upload(page, { name: 'kiosk.mobileconfig', buffer: mobileconfig('Kiosk', 'com.ex.k') }, [
      'Kiosks',
    ])
    await row(page, 'Kiosk').waitFor()
    await api('DELETE', '/api/latest/fleet/labels/Kiosks')
    await page.reload()
    await row(page, 'Kiosk').getByText('Kiosks (deleted)').waitFor()
    expect(await row(page, 'Kiosk').textContent()).toContain('not installed on new hosts')
    expect(await row(page, 'Dock settings').textContent()).not.toContain('deleted')

    // Each profile's hosts by status link to those hosts; nothing failed, nothing to resend.
    const dock = (await profiles()).find((p) => p.name === 'Dock settings')
    const counts = row(page, 'Dock settings').getByRole('list', {
      name: 'Hosts by status of Dock settings',
    })
    expect(await counts.getByRole('link', { name: 'Failed: 0' }).getAttribute('href')).toBe(
      `/hosts/manage?team_id=0&profile_uuid=${dock?.profile_uuid ?? ''}&profile_status=failed`,
    )
    expect(await counts.getByRole('link').count()).toBe(4)
    expect(
      await row(page, 'Dock settings')
        .getByRole('button', { name: /^Resend/ })
        .count(),
    ).toBe(0)

    const summary = page.getByRole('region', { name: 'Hosts by OS settings status' })
    for (const status of ['Verified', 'Verifying', 'Pending', 'Failed']) {
      await summary.getByRole('link', { name: new RegExp(`^${status}`) }).waitFor()
    }
    expect(await summary.getByRole('link', { name: /^Failed/ }).getAttribute('href')).toBe(
      '/hosts/manage?team_id=0&os_settings=failed',
    )
    await page.context().close()
  })

  it("scopes the page to the chosen team's profiles", async () => {
    const team = asRecord((await api('POST', '/api/latest/fleet/teams', { name: 'Laptops' })).team)
    const page = await openPage()
    await page.goto(`${world.current.server.url}/controls/os-settings/custom-settings`)
    await row(page, 'Dock settings').waitFor()
    await page.getByLabel('Team').selectOption({ label: 'Laptops' })
    await page.waitForURL(`**/controls/os-settings/custom-settings?team_id=${String(team.id)}`)
    await page.getByText('No configuration profiles yet', { exact: false }).waitFor()
    await upload(page, { name: 'dock.mobileconfig', buffer: mobileconfig('Dock', 'com.ex.d') })
    await row(page, 'Dock').waitFor()
    expect((await profiles(Number(team.id))).map((p) => p.name)).toEqual(['Dock'])
    expect((await profiles()).map((p) => p.name)).not.toContain('Dock')
    await page.context().close()
  })

  it('shows an observer no Controls, and refuses the page in plain words', async () => {
    const page = await openPage('observer')
    await page.getByRole('link', { name: 'Hosts', exact: true }).waitFor()
    expect(await page.getByRole('link', { name: 'Controls', exact: true }).count()).toBe(0)
    await page.goto(`${world.current.server.url}/controls/os-settings/custom-settings`)
    await page.getByText("You don't have access").waitFor()
    expect(await page.getByRole('button', { name: 'Add profile' }).count()).toBe(0)
    await world.expectAccessible(page)
    await page.context().close()
  })

  it('lays the page out without sideways scrolling at 390 px', async () => {
    const page = await openPage()
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${world.current.server.url}/controls/os-settings/custom-settings`)
    await row(page, 'Dock settings').waitFor()
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )
    expect(overflow).toBeLessThanOrEqual(0)
    await world.expectAccessible(page)
    await page.context().close()
  })
})
