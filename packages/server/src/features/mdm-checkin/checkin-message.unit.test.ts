import { readFileSync } from 'node:fs'
import { build } from 'plist'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../../platform/errors/index.js'
import { decodeCheckin, resolveEnrollment } from './checkin-message.js'

const FIXTURES = new URL('../../../../../../shared/fixtures/mdm/', import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8')

/** The reason a decode was refused (InvalidArgumentError's detail). */
function refusal(raw: string): string {
  try {
    decodeCheckin(raw)
  } catch (err) {
    return err instanceof InvalidArgumentError ? (err.details[0]?.reason ?? '') : 'not a 400'
  }
  return 'accepted'
}

describe('decodeCheckin', () => {
  it('decodes the Authenticate fixtures (iPad and iMac)', () => {
    const mac = decodeCheckin(fixture('Authenticate.2.plist'))
    expect(mac).toMatchObject({
      type: 'Authenticate',
      topic: 'com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9',
      enrollment: { id: '66ADE930-5FDF-5EC4-8429-15640684C489', type: 'Device', userId: null },
      device: {
        serialNumber: 'C02MT66KFLHH',
        model: 'iMac14,2',
        deviceName: 'Fruit',
        osVersion: '10.12.6',
      },
    })
    expect(mac.raw).toBe(fixture('Authenticate.2.plist'))
    const ipad = decodeCheckin(fixture('Authenticate.1.plist'))
    expect(ipad.type).toBe('Authenticate')
    expect(ipad.enrollment.type).toBe('Device')
  })

  it('decodes TokenUpdate with the token as hex (fixture 1 gives the reference hex)', () => {
    const one = decodeCheckin(fixture('TokenUpdate.1.plist'))
    expect(one).toMatchObject({
      type: 'TokenUpdate',
      tokenHex: '47e8eec062c2f729ec1703c1b3e18f1971d85f00be76445d34080baa701b5f51',
    })
    const two = decodeCheckin(fixture('TokenUpdate.2.plist'))
    expect(two).toMatchObject({
      type: 'TokenUpdate',
      pushMagic: '888CEB39-BFFA-40F6-89FA-B60752EB63C2',
      awaitingConfiguration: false,
      tokenHex: Buffer.from('G6fJAGbFD3domiTzpCXK9oowD3KeiORgqUFgItXWQsw=', 'base64').toString(
        'hex',
      ),
    })
  })

  it('refuses unknown types, missing keys and malformed plists with a 400 error', () => {
    const unknown = build({ MessageType: 'Bogus', UDID: 'A' })
    expect(refusal(unknown)).toBe('unrecognized MessageType "Bogus"')
    expect(refusal(build({ UDID: 'A' }))).toBe('MessageType is required')
    expect(refusal(build({ MessageType: 'TokenUpdate', UDID: 'A', Topic: 't' }))).toBe(
      'Token is required',
    )
    expect(refusal(build({ MessageType: 'CheckOut' }))).toMatch(/UDID or EnrollmentID/)
    expect(refusal('<plist><dict><key>x</key>')).toMatch(/malformed plist|root must be/)
  })

  it('decodes DeclarativeManagement and bootstrap tokens', () => {
    const ddm = decodeCheckin(
      build({
        MessageType: 'DeclarativeManagement',
        UDID: 'A',
        Endpoint: 'tokens',
        Data: Buffer.from('{}'),
      }),
    )
    expect(ddm).toMatchObject({ type: 'DeclarativeManagement', endpoint: 'tokens' })
    const set = decodeCheckin(
      build({ MessageType: 'SetBootstrapToken', UDID: 'A', BootstrapToken: Buffer.from('secret') }),
    )
    expect(set).toMatchObject({ bootstrapToken: Buffer.from('secret').toString('base64') })
  })
})

describe('resolveEnrollment', () => {
  it('follows nanomdm: device, user, shared iPad, user enrollment', () => {
    expect(resolveEnrollment({ UDID: 'U', UserID: 'X' })).toEqual({
      id: 'U:X',
      deviceId: 'U',
      userId: 'X',
      type: 'User',
    })
    expect(
      resolveEnrollment({
        UDID: 'U',
        UserID: 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
        UserShortName: 'kim',
      }),
    ).toMatchObject({ id: 'U:kim', type: 'Shared iPad' })
    expect(resolveEnrollment({ EnrollmentID: 'E' })).toMatchObject({
      id: 'E',
      type: 'User Enrollment (Device)',
    })
    expect(resolveEnrollment({ EnrollmentID: 'E', EnrollmentUserID: 'V' })).toMatchObject({
      id: 'E:V',
      deviceId: 'E',
      type: 'User Enrollment',
    })
  })
})
