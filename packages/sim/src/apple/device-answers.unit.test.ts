import { build, parse } from 'plist'
import { describe, expect, it } from 'vitest'
import { answerCommand, type PlistObject, type ProfileStore } from './device-answers.js'
import { signWith } from './scep-cms.js'
import { FACTS, profileSigner } from '../test-utils/apple-device.js'

const facts = FACTS

const wifi = Buffer.from(
  build({
    PayloadType: 'Configuration',
    PayloadIdentifier: 'com.example.wifi',
    PayloadUUID: 'B1F6A0C2-1111-4E4E-9D9D-000000000001',
    PayloadDisplayName: 'Office Wi-Fi',
    PayloadVersion: 1,
    PayloadContent: [
      {
        PayloadType: 'com.apple.wifi.managed',
        PayloadIdentifier: 'com.example.wifi.payload',
        PayloadUUID: 'B1F6A0C2-1111-4E4E-9D9D-000000000002',
      },
    ],
  }),
)

const envelope = (requestType: string, extra: PlistObject = {}): PlistObject => ({
  CommandUUID: 'cmd-1',
  Command: { RequestType: requestType, ...extra },
})

describe('answerCommand', () => {
  it('acknowledges DeviceInformation with the QueryResponses asked for, shaped like the fixture', () => {
    const report = answerCommand(
      facts,
      envelope('DeviceInformation', { Queries: ['UDID', 'HostName', 'Nope'] }),
      'acknowledge',
      new Map(),
    )
    expect(report).toEqual({
      UDID: facts.udid,
      CommandUUID: 'cmd-1',
      RequestType: 'DeviceInformation',
      Status: 'Acknowledged',
      QueryResponses: { UDID: facts.udid, HostName: 'fruit.local' },
    })
    // It survives a plist round trip, as the server reads it.
    expect(parse(build(report))).toMatchObject({ Status: 'Acknowledged' })
  })

  it('installs and removes profiles, which ProfileList then reports', () => {
    const profiles: ProfileStore = new Map()
    answerCommand(facts, envelope('InstallProfile', { Payload: wifi }), 'acknowledge', profiles)
    const listed = answerCommand(facts, envelope('ProfileList'), 'acknowledge', profiles)
    expect(listed.ProfileList).toEqual([
      expect.objectContaining({
        PayloadIdentifier: 'com.example.wifi',
        PayloadUUID: 'B1F6A0C2-1111-4E4E-9D9D-000000000001',
        PayloadDisplayName: 'Office Wi-Fi',
        PayloadContent: [
          {
            PayloadType: 'com.apple.wifi.managed',
            PayloadIdentifier: 'com.example.wifi.payload',
            PayloadUUID: 'B1F6A0C2-1111-4E4E-9D9D-000000000002',
          },
        ],
        IsManaged: true,
      }),
    ])
    answerCommand(
      facts,
      envelope('RemoveProfile', { Identifier: 'com.example.wifi' }),
      'acknowledge',
      profiles,
    )
    expect(
      answerCommand(facts, envelope('ProfileList'), 'acknowledge', profiles).ProfileList,
    ).toEqual([])
  })

  it('answers NotNow or Error with an ErrorChain, changing nothing', () => {
    const profiles: ProfileStore = new Map()
    const payload = Buffer.from(build({ PayloadIdentifier: 'x' }))
    expect(
      answerCommand(facts, envelope('InstallProfile', { Payload: payload }), 'not-now', profiles),
    ).toMatchObject({ Status: 'NotNow' })
    const error = answerCommand(
      facts,
      envelope('InstallProfile', { Payload: payload }),
      'error',
      profiles,
    )
    expect(error).toMatchObject({
      Status: 'Error',
      ErrorChain: [{ ErrorCode: 12021, ErrorDomain: 'MCMDMErrorDomain' }],
    })
    expect(profiles.size).toBe(0)
  })

  it('keeps the inner plist of a signed profile (CMS SignedData around the XML)', async () => {
    const { certificateDer, privateKey } = await profileSigner()
    const signed = await signWith(wifi, certificateDer, privateKey, [])
    const profiles: ProfileStore = new Map()
    const report = answerCommand(
      facts,
      envelope('InstallProfile', { Payload: signed }),
      'acknowledge',
      profiles,
    )
    expect(report.Status).toBe('Acknowledged')
    expect([...profiles.keys()]).toEqual(['com.example.wifi'])
  })

  it('answers Error (MCProfileErrorDomain) to a profile that does not parse or has no PayloadUUID', () => {
    const profiles: ProfileStore = new Map()
    for (const bad of [
      Buffer.from('<?xml version="1.0"?><plist><dict><key>x</key></plist>'),
      Buffer.from(build({ PayloadIdentifier: 'com.example.no-uuid' })),
      Buffer.from('not a profile'),
    ]) {
      expect(
        answerCommand(facts, envelope('InstallProfile', { Payload: bad }), 'acknowledge', profiles),
      ).toMatchObject({ Status: 'Error', ErrorChain: [{ ErrorDomain: 'MCProfileErrorDomain' }] })
    }
    expect(profiles.size).toBe(0)
  })

  it('answers CommandFormatError in that mode, installing nothing', () => {
    const profiles: ProfileStore = new Map()
    expect(
      answerCommand(
        facts,
        envelope('InstallProfile', { Payload: wifi }),
        'command-format-error',
        profiles,
      ),
    ).toEqual({
      UDID: facts.udid,
      CommandUUID: 'cmd-1',
      RequestType: 'InstallProfile',
      Status: 'CommandFormatError',
    })
    expect(profiles.size).toBe(0)
  })
})
