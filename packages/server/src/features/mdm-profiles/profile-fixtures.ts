/** `.mobileconfig` profiles for tests, in the shape of nanomdm's `enroll.mobileconfig`. */
export function mobileconfig(
  fields: {
    identifier?: string | null
    name?: string | null
    type?: string
    payloadTypes?: readonly string[]
  } = {},
): string {
  const key = (k: string, v: string | null | undefined) =>
    v === null || v === undefined ? '' : `<key>${k}</key><string>${v}</string>`
  const payloads = (fields.payloadTypes ?? ['com.apple.dock'])
    .map(
      (t, i) =>
        `<dict><key>PayloadType</key><string>${t}</string><key>PayloadIdentifier</key><string>payload.${i}</string><key>PayloadUUID</key><string>0000000${i}-0000-0000-0000-000000000000</string><key>PayloadVersion</key><integer>1</integer></dict>`,
    )
    .join('')
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>PayloadContent</key><array>${payloads}</array>
${key('PayloadDisplayName', fields.name === undefined ? 'Dock settings' : fields.name)}
${key('PayloadIdentifier', fields.identifier === undefined ? 'com.example.dock' : fields.identifier)}
<key>PayloadType</key><string>${fields.type ?? 'Configuration'}</string>
<key>PayloadUUID</key><string>5A9F8BD2-7CC9-4F2B-9E6F-1A2B3C4D5E6F</string>
<key>PayloadVersion</key><integer>1</integer>
</dict></plist>
`
}

export function declaration(type: string, identifier = 'com.example.decl', extra = {}): string {
  return JSON.stringify({ Type: type, Identifier: identifier, Payload: {}, ...extra })
}
