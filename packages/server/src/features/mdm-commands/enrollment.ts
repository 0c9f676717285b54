/** nanomdm's enrollment types (`mdm/type.go`); the number is Apple's order. */
export const ENROLLMENT_TYPES = [
  'Device',
  'User',
  'User Enrollment (Device)',
  'User Enrollment',
  'Shared iPad',
] as const
export type EnrollmentType = (typeof ENROLLMENT_TYPES)[number]

/** One MDM channel: a device, or a user on a device. */
export interface Enrollment {
  /** UDID or EnrollmentID for a device channel; `<device id>:<user id>` for a user channel. */
  id: string
  deviceId: string
  userId: string | null
  type: EnrollmentType
  topic: string
  pushMagic: string
  /** APNs device token, lower-case hex. */
  tokenHex: string
  /** False after Authenticate and CheckOut, true after TokenUpdate. */
  enabled: boolean
  tokenUpdateTally: number
  lastSeenAt: number | null
  lastPushAt: number | null
  lastPushError: string | null
}

/** What a push to one enrollment needs. */
export interface PushTarget {
  enrollmentId: string
  topic: string
  pushMagic: string
  tokenHex: string
}

export function isEnrollmentType(text: string): text is EnrollmentType {
  return (ENROLLMENT_TYPES as readonly string[]).includes(text)
}
