import type { PlistValue } from 'plist'
import { InvalidArgumentError } from '../../platform/errors/index.js'
import { parsePlistDict, type EnrollmentType, type PlistDict } from '../mdm-commands/index.js'

/** The MDM channel a message belongs to (nanomdm's `Resolved` + `normalize`). */
export interface ResolvedEnrollment {
  /** `<device id>` for a device channel, `<device id>:<user id>` for a user channel. */
  id: string
  /** UDID, or EnrollmentID for a User Enrollment: the id certificates are bound to. */
  deviceId: string
  userId: string | null
  type: EnrollmentType
}

/** Device keys of Authenticate that the server keeps. */
export interface DeviceFacts {
  serialNumber: string
  productName: string
  model: string
  osVersion: string
  deviceName: string
}

/** A decoded check-in, by MessageType. `raw` is the body exactly as received. */
export type CheckinMessage = { enrollment: ResolvedEnrollment; raw: string } & (
  | { type: 'Authenticate'; topic: string; device: DeviceFacts }
  | {
      type: 'TokenUpdate'
      topic: string
      tokenHex: string
      pushMagic: string
      awaitingConfiguration: boolean
    }
  | { type: 'CheckOut' }
  | { type: 'UserAuthenticate' }
  | { type: 'SetBootstrapToken'; bootstrapToken: string | null }
  | { type: 'GetBootstrapToken' }
  | { type: 'DeclarativeManagement'; endpoint: string; data: Buffer | null }
  | { type: 'GetToken'; serviceType: string }
)

export type CheckinType = CheckinMessage['type']

/** nanomdm's Shared iPad marker in `UserID`. */
const SHARED_IPAD_USER = 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'

function invalid(reason: string): InvalidArgumentError {
  return InvalidArgumentError.field('plist', reason)
}

function text(dict: PlistDict, key: string): string | undefined {
  const value = dict[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function requiredText(dict: PlistDict, key: string): string {
  const value = text(dict, key)
  if (value === undefined) {
    throw invalid(`${key} is required`)
  }
  return value
}

function data(value: PlistValue | undefined): Buffer | null {
  return value instanceof Uint8Array ? Buffer.from(value) : null
}

/** The channel a message (check-in or command report) comes from; 400 when it names none. */
export function resolveEnrollment(dict: PlistDict): ResolvedEnrollment {
  const udid = text(dict, 'UDID')
  const userId = text(dict, 'UserID')
  if (udid) {
    if (!userId) {
      return { id: udid, deviceId: udid, userId: null, type: 'Device' }
    }
    const shared = userId === SHARED_IPAD_USER
    const user = shared ? requiredText(dict, 'UserShortName') : userId
    return {
      id: `${udid}:${user}`,
      deviceId: udid,
      userId: user,
      type: shared ? 'Shared iPad' : 'User',
    }
  }
  const enrollmentId = text(dict, 'EnrollmentID')
  if (!enrollmentId) {
    throw invalid('the message names no UDID or EnrollmentID')
  }
  const enrollmentUser = text(dict, 'EnrollmentUserID')
  return enrollmentUser
    ? {
        id: `${enrollmentId}:${enrollmentUser}`,
        deviceId: enrollmentId,
        userId: enrollmentUser,
        type: 'User Enrollment',
      }
    : { id: enrollmentId, deviceId: enrollmentId, userId: null, type: 'User Enrollment (Device)' }
}

function deviceFacts(dict: PlistDict): DeviceFacts {
  return {
    serialNumber: text(dict, 'SerialNumber') ?? '',
    productName: text(dict, 'ProductName') ?? '',
    model: text(dict, 'Model') ?? '',
    osVersion: text(dict, 'OSVersion') ?? '',
    deviceName: text(dict, 'DeviceName') ?? '',
  }
}

function tokenUpdate(dict: PlistDict) {
  const token = data(dict.Token)
  if (!token || token.length === 0) {
    throw invalid('Token is required')
  }
  return {
    type: 'TokenUpdate' as const,
    topic: requiredText(dict, 'Topic'),
    tokenHex: token.toString('hex'),
    pushMagic: requiredText(dict, 'PushMagic'),
    awaitingConfiguration: dict.AwaitingConfiguration === true,
  }
}

/**
 * Decodes a check-in body: MessageType first, then that type's keys (nanomdm's order). Throws
 * InvalidArgumentError (400 to the device) for a malformed plist, a missing key, or an unknown
 * MessageType ("unrecognized MessageType").
 */
export function decodeCheckin(raw: string): CheckinMessage {
  const dict = parsePlistDict(raw)
  const messageType = text(dict, 'MessageType')
  if (!messageType) {
    throw invalid('MessageType is required')
  }
  const base = { enrollment: resolveEnrollment(dict), raw }
  switch (messageType) {
    case 'Authenticate':
      return {
        ...base,
        type: 'Authenticate',
        topic: requiredText(dict, 'Topic'),
        device: deviceFacts(dict),
      }
    case 'TokenUpdate':
      return { ...base, ...tokenUpdate(dict) }
    case 'CheckOut':
    case 'UserAuthenticate':
    case 'GetBootstrapToken':
      return { ...base, type: messageType }
    case 'GetToken':
      return { ...base, type: 'GetToken', serviceType: requiredText(dict, 'TokenServiceType') }
    case 'SetBootstrapToken': {
      const token = data(dict.BootstrapToken)
      return {
        ...base,
        type: 'SetBootstrapToken',
        bootstrapToken: token ? token.toString('base64') : null,
      }
    }
    case 'DeclarativeManagement':
      return {
        ...base,
        type: 'DeclarativeManagement',
        endpoint: requiredText(dict, 'Endpoint'),
        data: data(dict.Data),
      }
    default:
      throw invalid(`unrecognized MessageType "${messageType.slice(0, 64)}"`)
  }
}
