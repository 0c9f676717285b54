import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  ASSET_REFERENCE,
  FLEET_VARIABLES,
  FORBIDDEN_DECLARATION_TYPES,
  INVALID_XML,
  MISSING_IDENTIFIER,
  MISSING_NAME,
  ONLY_CONFIGURATION,
  OS_UPDATES,
  parseProfileFile,
  ProfileFileError,
  SIGNED_NOT_SUPPORTED,
  STATUS_SUBSCRIPTION,
  WINDOWS_NOT_SUPPORTED,
  WRONG_EXTENSION,
  invalidPayloadType,
  reservedIdentifier,
  reservedName,
  reservedPayloadType,
  secretNames,
} from './profile-file.js'
import { declaration, mobileconfig } from './profile-fixtures.js'

const FIXTURES = new URL('../../../../../../shared/fixtures/mdm/', import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8')

function refusal(filename: string, contents: string): [string, number] | undefined {
  try {
    parseProfileFile(filename, contents)
  } catch (err) {
    if (err instanceof ProfileFileError) {
      return [err.message, err.status]
    }
    throw err
  }
  return undefined
}

describe('parseProfileFile: .mobileconfig', () => {
  it('reads PayloadIdentifier and PayloadDisplayName', () => {
    expect(parseProfileFile('dock.mobileconfig', mobileconfig())).toMatchObject({
      kind: 'mobileconfig',
      identifier: 'com.example.dock',
      name: 'Dock settings',
    })
  })

  it('refuses what Fleet refuses, with its messages', () => {
    expect(refusal('x.mobileconfig', 'not xml at all <')).toEqual([SIGNED_NOT_SUPPORTED, 400])
    expect(refusal('x.mobileconfig', '<plist><dict>')).toEqual([INVALID_XML, 400])
    expect(refusal('x.mobileconfig', mobileconfig({ type: 'com.apple.dock' }))).toEqual([
      invalidPayloadType('com.apple.dock'),
      400,
    ])
    expect(refusal('x.mobileconfig', mobileconfig({ identifier: null }))).toEqual([
      MISSING_IDENTIFIER,
      400,
    ])
    expect(refusal('x.mobileconfig', mobileconfig({ name: null }))).toEqual([MISSING_NAME, 400])
    expect(
      refusal('x.mobileconfig', mobileconfig({ identifier: 'com.fleetdm.fleetd.config' })),
    ).toEqual([reservedIdentifier('com.fleetdm.fleetd.config'), 400])
    expect(refusal('x.mobileconfig', mobileconfig({ name: 'Disk encryption' }))).toEqual([
      reservedName('Disk encryption'),
      400,
    ])
    expect(
      refusal('x.mobileconfig', mobileconfig({ payloadTypes: ['com.apple.MCX.FileVault2'] })),
    ).toEqual([reservedPayloadType(['com.apple.MCX.FileVault2']), 400])
  })

  it('reads the enrollment profile fixture (a real Configuration profile)', () => {
    const file = parseProfileFile('enroll.mobileconfig', fixture('enroll.mobileconfig'))
    expect(file.kind).toBe('mobileconfig')
    expect(file.identifier).not.toBe('')
  })
})

describe('parseProfileFile: DDM .json', () => {
  it('accepts the fixtures, named after their file', () => {
    expect(
      parseProfileFile('passcode-settings.json', fixture('passcode-settings.json')),
    ).toMatchObject({ kind: 'declaration', name: 'passcode-settings' })
    const disk = 'Disk management settings.json'
    expect(parseProfileFile(disk, fixture(disk))).toMatchObject({
      name: 'Disk management settings',
    })
  })

  it('refuses OS updates (software-update.json), asset types, subscriptions, non-configurations', () => {
    expect(refusal('s.json', fixture('software-update.json'))).toEqual([OS_UPDATES, 422])
    for (const type of FORBIDDEN_DECLARATION_TYPES) {
      expect(refusal('a.json', declaration(type))).toEqual([ASSET_REFERENCE, 422])
    }
    expect(
      refusal('s.json', declaration('com.apple.configuration.management.status-subscriptions')),
    ).toEqual([STATUS_SUBSCRIPTION, 422])
    for (const type of [
      'com.apple.activation.simple',
      'com.apple.asset.data',
      'com.apple.management.server-capabilities',
    ]) {
      expect(refusal('a.json', declaration(type))).toEqual([ONLY_CONFIGURATION, 422])
    }
  })

  it('refuses invalid JSON and Fleet variables', () => {
    const [message, status] = refusal('bad.json', '{"Type": ') ?? []
    expect(message).toMatch(/^Couldn't upload\. The file should include valid JSON: /)
    expect(status).toBe(400)
    const withVar = declaration('com.apple.configuration.passcode.settings', 'x', {
      Payload: { Message: '$FLEET_VAR_HOST_END_USER_EMAIL_IDP' },
    })
    expect(refusal('v.json', withVar)).toEqual([FLEET_VARIABLES, 400])
  })

  it('finds both spellings of secret references', () => {
    expect(secretNames('a $FLEET_SECRET_B and ${FLEET_SECRET_A} and $FLEET_SECRET_B')).toEqual([
      'A',
      'B',
    ])
  })
})

describe('parseProfileFile: other files', () => {
  it('refuses Windows profiles and other extensions', () => {
    expect(refusal('w.xml', '<Replace/>')).toEqual([WINDOWS_NOT_SUPPORTED, 400])
    expect(refusal('x.txt', 'x')).toEqual([WRONG_EXTENSION, 400])
    expect(refusal('noext', 'x')).toEqual([WRONG_EXTENSION, 400])
  })
})
