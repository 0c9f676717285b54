import type { Generated } from 'kysely'

/** One MDM channel of a device (the device itself, or a user on it): what APNs needs to wake it. */
export interface MdmEnrollmentsTable {
  /** UDID (or EnrollmentID) for a device channel, `<device id>:<user id>` for a user channel. */
  id: string
  device_id: string
  user_id: string | null
  /** nanomdm's enrollment type: Device, User, User Enrollment (Device), User Enrollment, Shared iPad. */
  type: string
  topic: Generated<string>
  push_magic: Generated<string>
  /** The APNs device token from TokenUpdate, lower-case hex. */
  token_hex: Generated<string>
  enabled: Generated<number>
  token_update_tally: Generated<number>
  last_seen_at: number | null
  last_push_at: number | null
  /** Why the last push failed (APNs reason or connection error), null after a good push. */
  last_push_error: string | null
  /** Consecutive failed pushes (the retry's back-off); 0 after a good push or a device report. */
  push_failures: Generated<number>
  created_at: number
  updated_at: number
}

/** A command, written once and shared by every enrollment it was queued for. */
export interface MdmCommandsTable {
  command_uuid: string
  request_type: string
  /** The full command plist (XML), exactly as served to devices. */
  command: string
  created_at: number
}

export interface MdmEnrollmentQueueTable {
  id: Generated<number>
  enrollment_id: string
  command_uuid: string
  active: Generated<number>
  priority: Generated<number>
  created_at: number
  delivered_at: number | null
}

/** The device's latest answer to one command (Acknowledged, Error, CommandFormatError, NotNow). */
export interface MdmCommandResultsTable {
  enrollment_id: string
  command_uuid: string
  status: string
  /** The raw report plist (XML). */
  result: string
  not_now_at: number | null
  not_now_tally: Generated<number>
  created_at: number
  updated_at: number
}
