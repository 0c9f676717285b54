import type { Selectable } from 'kysely'
import type { Db } from '../../db/database.js'
import type { DeviceFacts } from './checkin-message.js'
import type { MdmAppleDevicesTable } from './mdm-checkin.table.js'

/** An Apple device as the check-in knows it. */
export interface AppleDevice extends DeviceFacts {
  id: string
  certSha256: string
  bootstrapToken: string | null
  awaitingConfiguration: boolean
  hostId: number | null
  enrolledAt: number | null
  checkedOutAt: number | null
}

function toAppleDevice(row: Selectable<MdmAppleDevicesTable>): AppleDevice {
  return {
    id: row.id,
    serialNumber: row.serial_number,
    productName: row.product_name,
    model: row.model,
    osVersion: row.os_version,
    deviceName: row.device_name,
    certSha256: row.cert_sha256,
    bootstrapToken: row.bootstrap_token,
    awaitingConfiguration: Number(row.awaiting_configuration) === 1,
    hostId: row.host_id === null ? null : Number(row.host_id),
    enrolledAt: row.enrolled_at === null ? null : Number(row.enrolled_at),
    checkedOutAt: row.checked_out_at === null ? null : Number(row.checked_out_at),
  }
}

export async function findAppleDevice(db: Db, id: string): Promise<AppleDevice | undefined> {
  const row = await db
    .selectFrom('mdm_apple_devices')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toAppleDevice(row)
}

/** Another device bound to the certificate with this hash, if any (cert re-use). */
export async function findOtherDeviceWithCert(
  db: Db,
  sha256: string,
  deviceId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('mdm_apple_devices')
    .select('id')
    .where('cert_sha256', '=', sha256)
    .where('id', '!=', deviceId)
    .executeTakeFirst()
  return row?.id
}

/** Authenticate: creates the device or refreshes its facts and binds it to `certSha256`. */
export async function upsertAuthenticatedDevice(
  db: Db,
  device: { id: string; certSha256: string } & DeviceFacts,
  now: number,
): Promise<void> {
  const facts = {
    serial_number: device.serialNumber,
    product_name: device.productName,
    model: device.model,
    os_version: device.osVersion,
    device_name: device.deviceName,
    cert_sha256: device.certSha256,
    updated_at: now,
  }
  const updated = await db
    .updateTable('mdm_apple_devices')
    .set(facts)
    .where('id', '=', device.id)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) > 0) {
    return
  }
  await db
    .insertInto('mdm_apple_devices')
    .values({
      id: device.id,
      ...facts,
      bootstrap_token: null,
      host_id: null,
      enrolled_at: null,
      checked_out_at: null,
      created_at: now,
    })
    .execute()
}

/** Fields check-in messages after Authenticate change. */
export type DeviceChanges = Partial<{
  bootstrap_token: string | null
  awaiting_configuration: number
  host_id: number | null
  enrolled_at: number | null
  checked_out_at: number | null
}>

export async function updateAppleDevice(
  db: Db,
  id: string,
  changes: DeviceChanges,
  now: number,
): Promise<void> {
  await db
    .updateTable('mdm_apple_devices')
    .set({ ...changes, updated_at: now })
    .where('id', '=', id)
    .execute()
}

/**
 * Hosts were deleted: their devices keep their enrollment (Fleet leaves MDM enrolled) but no
 * longer point at them, so `host_id` never dangles; the next message re-attaches a host.
 */
export async function detachHosts(db: Db, hostIds: readonly number[]): Promise<void> {
  for (let i = 0; i < hostIds.length; i += 1000) {
    await db
      .updateTable('mdm_apple_devices')
      .set({ host_id: null })
      .where('host_id', 'in', hostIds.slice(i, i + 1000))
      .execute()
  }
}
