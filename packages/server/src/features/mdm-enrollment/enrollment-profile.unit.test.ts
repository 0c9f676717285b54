import { readFileSync } from 'node:fs'
import * as plist from 'plist'
import { describe, expect, it } from 'vitest'
import { buildEnrollmentProfile } from './enrollment-profile.js'

type Dict = Record<string, unknown>
const asDict = (value: unknown): Dict =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Dict) : {}
const payloads = (profile: Dict) =>
  Array.isArray(profile.PayloadContent) ? profile.PayloadContent.map(asDict) : []

const fixture = asDict(
  plist.parse(
    readFileSync(
      new URL('../../../../../../shared/fixtures/mdm/enroll.mobileconfig', import.meta.url),
      'utf8',
    ),
  ),
)

describe('buildEnrollmentProfile', () => {
  const profile = asDict(
    plist.parse(
      buildEnrollmentProfile({
        serverUrl: 'https://fleet.example.com/',
        topic: 'com.apple.mgmt.External.abc',
        challenge: 's3cret',
        orgName: 'Acme',
      }),
    ),
  )
  const [scep, mdm] = payloads(profile)

  it('has every key of the reference profile, top level and in each payload', () => {
    const keys = (d: Dict) => Object.keys(d).sort()
    expect(keys(profile)).toEqual(expect.arrayContaining(keys(fixture)))
    const [fScep, fMdm] = payloads(fixture)
    expect(keys(asDict(scep?.PayloadContent))).toEqual(
      expect.arrayContaining(keys(asDict(fScep?.PayloadContent))),
    )
    expect(keys(mdm ?? {})).toEqual(expect.arrayContaining(keys(fMdm ?? {})))
  })

  it('points the SCEP payload at this server and binds the MDM payload to its certificate', () => {
    expect(scep?.PayloadType).toBe('com.apple.security.scep')
    expect(asDict(scep?.PayloadContent)).toMatchObject({
      URL: 'https://fleet.example.com/mdm/apple/scep',
      Challenge: 's3cret',
      Keysize: 2048,
      'Key Type': 'RSA',
      Subject: [[['O', 'Acme']], [['CN', 'Fleet Identity']]],
    })
    expect(mdm).toMatchObject({
      PayloadType: 'com.apple.mdm',
      IdentityCertificateUUID: scep?.PayloadUUID,
      Topic: 'com.apple.mgmt.External.abc',
      ServerURL: 'https://fleet.example.com/mdm/apple/mdm',
      SignMessage: true,
      AccessRights: 8191,
      CheckOutWhenRemoved: true,
    })
    expect(mdm?.ServerCapabilities).toEqual(
      expect.arrayContaining([
        'com.apple.mdm.per-user-connections',
        'com.apple.mdm.bootstraptoken',
      ]),
    )
    expect(profile).toMatchObject({ PayloadType: 'Configuration', PayloadVersion: 1 })
  })
})
