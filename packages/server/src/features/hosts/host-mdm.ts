import type { HostMdmJson } from '@fleet/api'
import type { Db } from '../../db/database.js'

/** Fleet's host `mdm` object for a host that never checked in over MDM. */
export const NO_MDM: HostMdmJson = {
  encryption_key_available: false,
  enrollment_status: null,
  dep_profile_error: false,
  name: '',
  server_url: null,
}

/** The MDM status of hosts, by host id, for a page of hosts or one host's detail. */
export type HostsMdmSource = (hostIds: readonly number[]) => Promise<Map<number, HostMdmJson>>

/** The ServerURL devices enroll with (the enrollment profile's), from Fleet's server URL. */
export function mdmServerUrl(serverUrl: string | null | undefined): string | null {
  return serverUrl ? `${serverUrl.replace(/\/+$/, '')}/mdm/apple/mdm` : null
}

/** Bound parameters per statement (SQLite allows 32,766; MySQL and PostgreSQL more). */
const CHUNK = 1000

/** Per host: whether its newest MDM device row is enrolled; whether ABM lists it for us. */
async function mdmFacts(db: Db, ids: readonly number[]) {
  const [devices, dep] = await Promise.all([
    db
      .selectFrom('mdm_apple_devices')
      .select(['host_id', 'enrolled_at', 'updated_at'])
      .where('host_id', 'in', ids)
      .execute(),
    db
      .selectFrom('mdm_abm_devices')
      .select('host_id')
      .where('host_id', 'in', ids)
      .where('removed_at', 'is', null)
      .execute(),
  ])
  // When two device rows name one host (a re-enrolled device with a new UDID), the newest wins.
  const newest = new Map<number, { enrolled: boolean; updatedAt: number }>()
  for (const row of devices) {
    const updatedAt = Number(row.updated_at)
    const seen = row.host_id === null ? undefined : newest.get(row.host_id)
    if (row.host_id !== null && (!seen || seen.updatedAt <= updatedAt)) {
      newest.set(row.host_id, { enrolled: row.enrolled_at !== null, updatedAt })
    }
  }
  const assigned = new Set(dep.flatMap((row) => (row.host_id === null ? [] : [row.host_id])))
  return { newest, assigned }
}

/**
 * The MDM status of hosts, read from the MDM check-in's devices (`mdm_apple_devices.host_id`,
 * set when the device enrolled) and automatic enrollment's ABM devices (`mdm_abm_devices`, rows
 * ABM still lists for this server), two statements per 1,000 hosts (a page is one batch, never a
 * query per host): "On (automatic)" while enrolled and assigned in ABM, "On (manual)" while
 * enrolled otherwise, "Pending" for an ABM device that has not enrolled yet, "Off" after
 * CheckOut or a new Authenticate without TokenUpdate. Hosts missing from the map have no MDM
 * (`NO_MDM`).
 */
export async function hostsMdm(
  db: Db,
  hostIds: readonly number[],
  serverUrl: string | null,
): Promise<Map<number, HostMdmJson>> {
  const out = new Map<number, HostMdmJson>()
  const ids = [...new Set(hostIds)]
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK)
    const { newest, assigned } = await mdmFacts(db, chunk)
    for (const id of chunk) {
      const device = newest.get(id)
      const dep = assigned.has(id)
      if (!device && !dep) {
        continue
      }
      const enrolled = device?.enrolled === true
      out.set(id, {
        encryption_key_available: false,
        enrollment_status: enrolled
          ? dep
            ? 'On (automatic)'
            : 'On (manual)'
          : dep
            ? 'Pending'
            : 'Off',
        dep_profile_error: false,
        name: 'Fleet',
        server_url: mdmServerUrl(serverUrl),
      })
    }
  }
  return out
}
