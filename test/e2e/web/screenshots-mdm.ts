// The MDM pages' part of `npm run screenshots`: Controls → OS settings → Custom settings with a
// scoped profile and a declaration, Settings → Integrations → MDM turned on, and a simulated Mac's
// host page with its MDM status.
import 'reflect-metadata'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SimulatedAppleDevice } from '@fleet/sim'
import { pushCertificate } from '../apple-push-cert.js'

type Api = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
) => Promise<Record<string, unknown>>

const DOCK = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>PayloadContent</key><array><dict><key>PayloadType</key><string>com.apple.dock</string>
<key>PayloadIdentifier</key><string>com.example.dock.1</string>
<key>PayloadUUID</key><string>6E0F6A54-9A5C-4C8F-8A36-1E1F2C3D4B5A</string>
<key>PayloadVersion</key><integer>1</integer></dict></array>
<key>PayloadDisplayName</key><string>Dock settings</string>
<key>PayloadIdentifier</key><string>com.example.dock</string>
<key>PayloadType</key><string>Configuration</string>
<key>PayloadUUID</key><string>3C8A1E2B-5D4F-4A6B-9C7D-8E9F0A1B2C3D</string>
<key>PayloadVersion</key><integer>1</integer>
</dict></plist>
`

/**
 * Turns MDM on, uploads two profiles (one scoped to a label), enrolls a simulated Mac, and
 * shoots the pages (`shoot` for the laptop size, `shootPhone` for 390 px).
 */
export async function shootMdmPages(
  api: Api,
  world: { url: string; dataDir: string; secret: string },
  shoot: (path: string, name: string) => Promise<void>,
  shootPhone: (path: string, name: string) => Promise<void>,
): Promise<void> {
  await api('PATCH', '/api/latest/fleet/config', { server_settings: { server_url: world.url } })
  const push = await pushCertificate(`com.apple.mgmt.External.${randomUUID()}`)
  await api('POST', '/api/latest/fleet/mdm/apple/apns_certificate', {
    certificate: push.cert,
    private_key: push.key,
  })
  await api('POST', '/api/latest/fleet/labels', { name: 'Design team', query: 'SELECT 1' })
  await api('POST', '/api/latest/fleet/configuration_profiles', {
    profile: DOCK,
    'profile.filename': 'dock.mobileconfig',
    labels_include_any: ['Design team'],
  })
  await api('POST', '/api/latest/fleet/configuration_profiles', {
    profile: readFileSync(
      new URL('../../../../shared/fixtures/mdm/passcode-settings.json', import.meta.url),
      'utf8',
    ),
    'profile.filename': 'Passcode.json',
  })
  const device = new SimulatedAppleDevice({
    fleetUrl: world.url,
    enrollToken: world.secret,
    seed: 21,
    ca: readFileSync(join(world.dataDir, 'tls', 'server.crt'), 'utf8'),
  })
  try {
    await device.enroll()
    const found = await api('GET', `/api/latest/fleet/hosts/identifier/${device.facts.serial}`)
    const host = found.host as { id: number }
    await shoot('/controls/os-settings/custom-settings', 'controls-custom-settings')
    await shoot('/settings/integrations/mdm', 'mdm-settings')
    await shoot(`/hosts/${host.id}`, 'host-mdm')
    await shootPhone('/controls/os-settings/custom-settings', 'controls-custom-settings-390')
  } finally {
    await device.close()
  }
}
