import type { HostDetailJson } from '@fleet/api'
import type { Db } from '../../db/database.js'

/** Fleet's host `mdm` object for a host that never checked in over MDM. */
export const NO_MDM: HostDetailJson['mdm'] = {
  encryption_key_available: false,
  enrollment_status: null,
  name: '',
  server_url: null,
}

/** The ServerURL devices enroll with (the enrollment profile's), from Fleet's server URL. */
export function mdmServerUrl(serverUrl: string | null | undefined): string | null {
  return serverUrl ? `${serverUrl.replace(/\/+$/, '')}/mdm/apple/mdm` : null
}

/**
 * The MDM status of a host, read from the MDM check-in's devices (`mdm_apple_devices.host_id`,
 * set when the device enrolled) and automatic enrollment's ABM devices (`mdm_abm_devices`, rows
 * ABM still lists for this server): "On (automatic)" while enrolled and assigned in ABM, "On
 * (manual)" while enrolled otherwise, "Pending" for an ABM device that has not enrolled yet, "Off"
 * after CheckOut or a new Authenticate without TokenUpdate.
 */
export async function hostMdm(
  db: Db,
  hostId: number,
  serverUrl: string | null,
): Promise<HostDetailJson['mdm']> {
  const [device, dep] = await Promise.all([
    db
      .selectFrom('mdm_apple_devices')
      .select(['enrolled_at'])
      .where('host_id', '=', hostId)
      .orderBy('updated_at', 'desc')
      .executeTakeFirst(),
    db
      .selectFrom('mdm_abm_devices')
      .select('serial_number')
      .where('host_id', '=', hostId)
      .where('removed_at', 'is', null)
      .executeTakeFirst(),
  ])
  if (!device && !dep) {
    return NO_MDM
  }
  const enrolled = device !== undefined && device.enrolled_at !== null
  const status = enrolled ? (dep ? 'On (automatic)' : 'On (manual)') : dep ? 'Pending' : 'Off'
  return {
    encryption_key_available: false,
    enrollment_status: status,
    name: 'Fleet',
    server_url: mdmServerUrl(serverUrl),
  }
}
