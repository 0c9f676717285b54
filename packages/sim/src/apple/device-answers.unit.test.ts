import { build, parse } from 'plist'
import { describe, expect, it } from 'vitest'
import {
  answerCommand,
  type DeviceFacts,
  type PlistObject,
  type ProfileStore,
} from './device-answers.js'

const facts: DeviceFacts = {
  udid: '66ADE930-5FDF-5EC4-8429-15640684C489',
  serial: 'C02TEST',
  deviceName: 'Fruit',
  model: 'MacBookPro16,1',
  osVersion: '14.4.1',
  buildVersion: '23E224',
}

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
    const payload = Buffer.from(
      build({ PayloadIdentifier: 'com.example.wifi', PayloadType: 'Configuration' }),
    )
    answerCommand(facts, envelope('InstallProfile', { Payload: payload }), 'acknowledge', profiles)
    const listed = answerCommand(facts, envelope('ProfileList'), 'acknowledge', profiles)
    expect(listed.ProfileList).toEqual([
      expect.objectContaining({ PayloadIdentifier: 'com.example.wifi' }),
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
})
