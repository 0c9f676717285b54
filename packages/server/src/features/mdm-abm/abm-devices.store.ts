import type { Db } from '../../db/database.js'
import { chunked } from '../../platform/db/index.js'

/** A device ABM listed for this server, as stored. */
export interface AbmDevice {
  serial: string
  abmTokenId: number
  hostId: number | null
  profileUuid: string
  assignStatus: string
  removed: boolean
}

/** The rows of these serials, by serial. */
export async function devicesBySerial(
  db: Db,
  serials: readonly string[],
): Promise<Map<string, AbmDevice>> {
  const found = new Map<string, AbmDevice>()
  for (const chunk of chunked(serials)) {
    const rows = await db
      .selectFrom('mdm_abm_devices')
      .selectAll()
      .where('serial_number', 'in', chunk)
      .execute()
    for (const row of rows) {
      found.set(row.serial_number, {
        serial: row.serial_number,
        abmTokenId: row.abm_token_id,
        hostId: row.host_id,
        profileUuid: row.profile_uuid,
        assignStatus: row.assign_status,
        removed: row.removed_at !== null,
      })
    }
  }
  return found
}

export interface DeviceFacts {
  serial: string
  model: string
  description: string
  deviceFamily: string
  os: string
}

/** Inserts new devices (batched). */
export async function insertDevices(
  db: Db,
  tokenId: number,
  devices: readonly (DeviceFacts & { hostId: number | null; teamId: number | null })[],
  now: number,
): Promise<void> {
  for (const chunk of chunked(devices, 500)) {
    await db
      .insertInto('mdm_abm_devices')
      .values(
        chunk.map((d) => ({
          serial_number: d.serial,
          abm_token_id: tokenId,
          host_id: d.hostId,
          team_id: d.teamId,
          model: d.model,
          description: d.description,
          device_family: d.deviceFamily,
          os: d.os,
          assigned_at: null,
          device_configured_at: null,
          removed_at: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute()
  }
}

/**
 * Devices seen again (listed again, or re-added after a removal): back under this token, not
 * removed; `resetAssignment` clears the profile recorded (ABM says it has none now).
 */
export async function reviveDevices(
  db: Db,
  tokenId: number,
  serials: readonly string[],
  resetAssignment: boolean,
  now: number,
): Promise<void> {
  for (const chunk of chunked(serials)) {
    await db
      .updateTable('mdm_abm_devices')
      .set({
        abm_token_id: tokenId,
        removed_at: null,
        updated_at: now,
        ...(resetAssignment ? { profile_uuid: '', assign_status: '' } : {}),
      })
      .where('serial_number', 'in', chunk)
      .execute()
  }
}

export async function setDeviceHosts(
  db: Db,
  hosts: ReadonlyMap<string, number>,
  now: number,
): Promise<void> {
  for (const [serial, hostId] of hosts) {
    await db
      .updateTable('mdm_abm_devices')
      .set({ host_id: hostId, updated_at: now })
      .where('serial_number', '=', serial)
      .execute()
  }
}

/** ABM no longer lists these devices for this server (deleted, disowned, moved elsewhere). */
export async function markRemoved(
  db: Db,
  serials: readonly string[],
  now: number,
): Promise<number> {
  let count = 0
  for (const chunk of chunked(serials)) {
    const res = await db
      .updateTable('mdm_abm_devices')
      .set({ removed_at: now, updated_at: now })
      .where('serial_number', 'in', chunk)
      .where('removed_at', 'is', null)
      .executeTakeFirst()
    count += Number(res.numUpdatedRows)
  }
  return count
}

/** A token's devices ABM still lists, with the team and the profile each has. */
export async function liveDevices(
  db: Db,
  tokenId: number,
): Promise<{ serial: string; teamId: number | null; profileUuid: string; assignStatus: string }[]> {
  const rows = await db
    .selectFrom('mdm_abm_devices')
    .select(['serial_number', 'team_id', 'profile_uuid', 'assign_status'])
    .where('abm_token_id', '=', tokenId)
    .where('removed_at', 'is', null)
    .execute()
  return rows.map((r) => ({
    serial: r.serial_number,
    teamId: r.team_id,
    profileUuid: r.profile_uuid,
    assignStatus: r.assign_status,
  }))
}

/** ABM's answer per serial to an assignment (SUCCESS, NOT_ACCESSIBLE, FAILED…), grouped. */
export async function recordAssignments(
  db: Db,
  profileUuid: string,
  results: Readonly<Record<string, string>>,
  now: number,
): Promise<void> {
  const byStatus = new Map<string, string[]>()
  for (const [serial, status] of Object.entries(results)) {
    byStatus.set(status, [...(byStatus.get(status) ?? []), serial])
  }
  for (const [status, serials] of byStatus) {
    for (const chunk of chunked(serials)) {
      await db
        .updateTable('mdm_abm_devices')
        .set({
          profile_uuid: profileUuid,
          assign_status: status,
          assigned_at: now,
          updated_at: now,
        })
        .where('serial_number', 'in', chunk)
        .execute()
    }
  }
}
