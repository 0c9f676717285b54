import type { Db } from '../../db/database.js'
import {
  disableDeviceEnrollments,
  findEnrollment,
  insertEnrollment,
  updateEnrollmentToken,
  type TokenUpdateRow,
} from './enrollments.store.js'

/**
 * A TokenUpdate: creates the enrollment or updates its push details, enables it and counts it.
 * `first` is true for an enrollment's first TokenUpdate ever (Fleet's "enrolled" moment). Run it
 * in the check-in's transaction.
 */
export async function saveTokenUpdate(
  db: Db,
  row: TokenUpdateRow,
  now: number,
): Promise<{ first: boolean }> {
  const existing = await findEnrollment(db, row.id)
  if (!existing) {
    await insertEnrollment(db, row, now)
    return { first: true }
  }
  await updateEnrollmentToken(db, row, now)
  return { first: existing.tokenUpdateTally === 0 }
}

/** Authenticate and CheckOut: the device's channels get no push until their next TokenUpdate. */
export async function disableDevice(db: Db, deviceId: string, now: number): Promise<void> {
  await disableDeviceEnrollments(db, deviceId, now)
}
