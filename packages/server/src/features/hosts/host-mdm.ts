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
 * set when the device enrolled): "On (manual)" while enrolled, "Off" after CheckOut or a new
 * Authenticate without TokenUpdate. Automatic (DEP) enrollment does not exist yet, so "On
 * (automatic)" and "Pending" never appear.
 */
export async function hostMdm(
  db: Db,
  hostId: number,
  serverUrl: string | null,
): Promise<HostDetailJson['mdm']> {
  const device = await db
    .selectFrom('mdm_apple_devices')
    .select(['enrolled_at'])
    .where('host_id', '=', hostId)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst()
  if (!device) {
    return NO_MDM
  }
  return {
    encryption_key_available: false,
    enrollment_status: device.enrolled_at === null ? 'Off' : 'On (manual)',
    name: 'Fleet',
    server_url: mdmServerUrl(serverUrl),
  }
}
