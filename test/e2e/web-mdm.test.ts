import 'reflect-metadata'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SimulatedAppleDevice } from '@fleet/sim'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pushCertificate } from './apple-push-cert.js'
import { asRecord } from './support.js'
import { ADMIN, ADMIN_PASSWORD, OBSERVER } from './web/admin-fixtures.js'
import type { ConsoleServer } from './web/console-server.js'
import { useConsoleWorld } from './web/console-world.js'
const SECRET = 'web-mdm-secret'
const MDM_PAGE = '/settings/integrations/mdm'

/**
 * Apple MDM in the console, in Debian's Chromium against a real `fleet serve`: set-up under
 * Settings → Integrations → MDM (CSR, a refused certificate, the push certificate turning MDM
 * on, the enrollment profile, turning it off), a simulated Mac enrolling and showing its MDM
 * status on its host page and in the hosts list's MDM filter, and an observer kept out.
 */
describe('Apple MDM set-up and MDM status in a real browser', { timeout: 90_000 }, () => {
  const world = useConsoleWorld({
    prefix: 'web-mdm',
    orgName: 'MDM e2e',
    password: ADMIN_PASSWORD,
    enrollSecret: SECRET,
    observer: OBSERVER,
  })
  const api: ConsoleServer['api'] = (...args) => world.current.api(...args)
  const url = (path: string) => `${world.current.server.url}${path}`
  const topic = `com.apple.mgmt.External.${randomUUID()}`
  const devices: SimulatedAppleDevice[] = []

  async function openPage(who: 'admin' | 'observer' = 'admin', allow: RegExp[] = []) {
    const page = await world.openPage(allow)
    // A missing element fails its step with the locator's name, not the whole test's timeout.
    page.setDefaultTimeout(15_000)
    await world.login(page, who === 'admin' ? ADMIN : OBSERVER)
    return page
  }

  const mdmOn = async () => asRecord((await api('GET', '/api/latest/fleet/config')).mdm)

  beforeAll(async () => {
    // The URL the enrollment profile points devices at.
    await api('PATCH', '/api/latest/fleet/config', {
      server_settings: { server_url: world.current.server.url },
    })
  })
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.close()))
  })

  it('turns Apple MDM on from Settings → Integrations, refusing a bad certificate', async () => {
    const page = await openPage('admin', [/status of 400/])
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByRole('navigation', { name: 'Settings' }).getByText('Integrations').click()
    await page.waitForURL(`**${MDM_PAGE}`)
    const form = page.getByRole('form', { name: 'Turn on Apple MDM' })
    await form.waitFor()
    await world.expectAccessible(page)

    const [csr] = await Promise.all([
      page.waitForEvent('download'),
      form.getByRole('button', { name: 'Download CSR' }).click(),
    ])
    expect(csr.suggestedFilename()).toBe('apns.csr')
    expect(readFileSync(await csr.path(), 'utf8')).toContain('BEGIN CERTIFICATE REQUEST')

    await form.getByRole('button', { name: 'Turn on' }).click()
    await form.getByText('Choose the push certificate (.pem) from Apple.').waitFor()

    const certInput = form.getByLabel('APNs certificate (.pem)')
    const pem = (name: string, text: string) => ({
      name,
      mimeType: 'application/x-pem-file',
      buffer: Buffer.from(text),
    })
    await certInput.setInputFiles(pem('not-a-cert.pem', 'hello'))
    await form.getByRole('button', { name: 'Turn on' }).click()
    await form.getByText('Invalid certificate', { exact: false }).waitFor()
    expect((await mdmOn()).enabled_and_configured).toBe(false)

    const push = await pushCertificate(topic)
    await certInput.setInputFiles(pem('push.pem', push.cert))
    await form
      .getByLabel('Private key (.key), only for a CSR made elsewhere')
      .setInputFiles(pem('push.key', push.key))
    await form.getByRole('button', { name: 'Turn on' }).click()
    await page.getByText(topic).waitFor()
    expect(await page.getByText('Renew by').count()).toBe(1)
    expect((await mdmOn()).enabled_and_configured).toBe(true)
    await world.expectAccessible(page)

    const [profile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download enrollment profile' }).click(),
    ])
    expect(profile.suggestedFilename()).toMatch(/\.mobileconfig$/)
    const bytes = readFileSync(await profile.path())
    expect(bytes[0]).toBe(0x30) // DER SignedData, untouched by a text decoding
    expect(bytes.toString('latin1')).toContain(topic)
    await page.context().close()
  })

  it("shows an enrolled simulated Mac's MDM status on its host page and in the MDM filter", async () => {
    const device = new SimulatedAppleDevice({
      fleetUrl: world.current.server.url,
      enrollToken: SECRET,
      seed: 11,
      ca: readFileSync(join(world.current.dataDir, 'tls', 'server.crt'), 'utf8'),
    })
    devices.push(device)
    await device.enroll()
    const found = await api('GET', `/api/latest/fleet/hosts/identifier/${device.facts.serial}`)
    const hostId = Number(asRecord(found.host).id)

    const page = await openPage()
    await page.goto(`${world.current.server.url}/hosts/${hostId}`)
    const mdm = page.getByRole('region', { name: 'MDM' })
    await mdm.getByText('On (manual)').waitFor()
    expect(await mdm.textContent()).toContain(`${world.current.server.url}/mdm/apple/mdm`)
    // No profile delivered to it yet.
    await mdm.getByText('No profiles').waitFor()
    await world.expectAccessible(page)

    await page.goto(`${world.current.server.url}/hosts/manage`)
    await page.getByLabel('MDM enrollment').selectOption({ label: 'On (manual)' })
    await page.waitForURL('**/hosts/manage?mdm_enrollment_status=manual')
    const rows = page.getByRole('table', { name: 'Hosts' }).getByRole('row')
    await expect.poll(() => rows.count()).toBe(2) // the header and the Mac
    await rows.getByRole('link', { name: /./ }).first().waitFor()
    await page.getByLabel('MDM enrollment').selectOption({ label: 'Off' })
    await page.waitForURL('**/hosts/manage?mdm_enrollment_status=unenrolled')
    await page.getByText('No hosts match these filters.').waitFor()
    await page.context().close()
  })

  it('keeps an observer out of MDM set-up', async () => {
    const page = await openPage('observer')
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    const tabs = page.getByRole('navigation', { name: 'Settings' })
    await tabs.getByRole('link', { name: 'Organization settings' }).waitFor()
    expect(await tabs.getByRole('link', { name: 'Integrations' }).count()).toBe(0)
    await page.goto(url(MDM_PAGE))
    await page.getByText("You don't have access: only global admins set up MDM.").waitFor()
    expect(await page.getByRole('button', { name: 'Turn off MDM' }).count()).toBe(0)
    await world.expectAccessible(page)
    await page.context().close()
  })

  it('lays the MDM page out without sideways scrolling at 390 px', async () => {
    const page = await openPage()
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(url(MDM_PAGE))
    await page.getByText(topic).waitFor()
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )
    expect(overflow).toBeLessThanOrEqual(0)
    await world.expectAccessible(page)
    await page.context().close()
  })

  it('turns MDM off only after confirmation', async () => {
    const page = await openPage()
    await page.goto(url(MDM_PAGE))
    await page.getByText(topic).waitFor()
    await page.getByRole('button', { name: 'Turn off MDM' }).click()
    const confirm = page.getByRole('group', { name: 'Turn off MDM' })
    await confirm.getByText('Every enrolled host must enroll again', { exact: false }).waitFor()
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    expect((await mdmOn()).enabled_and_configured).toBe(true)
    await page.getByRole('button', { name: 'Turn off MDM' }).click()
    await confirm.getByRole('button', { name: 'Turn off' }).click()
    await page.getByRole('form', { name: 'Turn on Apple MDM' }).waitFor()
    expect((await mdmOn()).enabled_and_configured).toBe(false)
    await page.context().close()
  })
})
