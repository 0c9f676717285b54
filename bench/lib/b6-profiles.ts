import { Agent, FormData, request } from 'undici'

/**
 * B6's profiles: `.mobileconfig` files (a screensaver payload each) and DDM declarations
 * (passcode settings each), distinct identifiers, as an admin would upload them.
 */
export interface BenchProfile {
  fileName: string
  contents: string
}

export function mobileconfig(n: number, idleTime = 300): BenchProfile {
  const id = `com.example.b6.profile${n}`
  const contents = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadVersion</key><integer>1</integer>
  <key>PayloadIdentifier</key><string>${id}</string>
  <key>PayloadUUID</key><string>B6000000-0000-4000-8000-${String(n).padStart(12, '0')}</string>
  <key>PayloadDisplayName</key><string>B6 profile ${n}</string>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadType</key><string>com.apple.screensaver</string>
      <key>PayloadVersion</key><integer>1</integer>
      <key>PayloadIdentifier</key><string>${id}.screensaver</string>
      <key>PayloadUUID</key><string>B6100000-0000-4000-8000-${String(n).padStart(12, '0')}</string>
      <key>idleTime</key><integer>${idleTime}</integer>
    </dict>
  </array>
</dict>
</plist>
`
  return { fileName: `b6-profile-${n}.mobileconfig`, contents }
}

export function declaration(n: number, minimumLength = 10): BenchProfile {
  const contents = JSON.stringify({
    Type: 'com.apple.configuration.passcode.settings',
    Identifier: `com.example.b6.declaration${n}`,
    Payload: { RequireAlphanumericPasscode: true, MinimumLength: minimumLength },
  })
  return { fileName: `B6 declaration ${n}.json`, contents }
}

/** `count` profiles, two in three `.mobileconfig`, the rest declarations. */
export function benchProfiles(count: number): BenchProfile[] {
  return Array.from({ length: count }, (_, i) => (i % 3 === 2 ? declaration(i) : mobileconfig(i)))
}

const insecure = new Agent({ connect: { rejectUnauthorized: false } })

/** Uploads one profile for "No team" (multipart, as the UI and fleetctl do); its uuid. */
export async function uploadProfile(
  fleetUrl: string,
  token: string,
  profile: BenchProfile,
): Promise<string> {
  const form = new FormData()
  form.append('profile', new Blob([profile.contents]), profile.fileName)
  const res = await request(`${fleetUrl}/api/latest/fleet/configuration_profiles`, {
    method: 'POST',
    dispatcher: insecure,
    headers: { authorization: `Bearer ${token}` },
    body: form,
  })
  const json: unknown = await res.body.json()
  if (res.statusCode !== 200 || typeof json !== 'object' || json === null) {
    throw new Error(`upload ${profile.fileName}: ${res.statusCode} ${JSON.stringify(json)}`)
  }
  return 'profile_uuid' in json ? String(json.profile_uuid) : ''
}

/** The first admin (Fleet's set-up); their API token. */
export async function setUpFleet(fleetUrl: string): Promise<string> {
  const res = await request(`${fleetUrl}/api/v1/setup`, {
    method: 'POST',
    dispatcher: insecure,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      admin: { email: 'b6@example.com', name: 'B6', password: 'bench-password-1!' },
      org_info: { org_name: 'B6' },
    }),
  })
  const json: unknown = await res.body.json()
  if (res.statusCode !== 200 || typeof json !== 'object' || json === null || !('token' in json)) {
    throw new Error(`setup: ${res.statusCode} ${JSON.stringify(json)}`)
  }
  return String(json.token)
}

/** JSON request to the REST API; throws on a status of 300 or more. */
export async function fleetApi(
  fleetUrl: string,
  token: string | undefined,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await request(`${fleetUrl}/api/latest/fleet${path}`, {
    method,
    dispatcher: insecure,
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  const text = await res.body.text()
  if (res.statusCode >= 300) {
    throw new Error(`${method} ${path}: ${res.statusCode} ${text}`)
  }
  const json: unknown = text ? JSON.parse(text) : {}
  return typeof json === 'object' && json !== null ? Object.fromEntries(Object.entries(json)) : {}
}
