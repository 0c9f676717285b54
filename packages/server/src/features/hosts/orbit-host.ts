/**
 * Orbit (fleetd) and Fleet Desktop as the hosts feature sees them. Orbit enrolls into the same
 * host record as osquery: whichever enrolls first creates the host, the other finds it by
 * hardware UUID (else osquery identifier).
 */

/** An orbit-authenticated host: what config and device-token requests need. */
export interface OrbitHost {
  id: number
  teamId: number | null
  platform: string
}

/** What an orbit enrollment tells about a host. */
export interface OrbitEnrollment {
  teamId: number | null
  uuid: string
  /** The osquery identifier if orbit sent one, else the hardware UUID (as Fleet does). */
  osqueryHostId: string
  hardwareSerial: string
  hostname: string
  computerName: string
  hardwareModel: string
  platform: string
  platformLike: string
  now: number
}

/** What the host's orbit reports in its `orbit_info` table (Fleet's host orbit_version…). */
export interface OrbitInfo {
  version: string
  /** Fleet Desktop's version; null when the orbit doesn't say. */
  desktopVersion: string | null
  /** Whether orbit runs scripts; null when it doesn't say. */
  scriptsEnabled: boolean | null
}

/** A label a host belongs to, as the device page lists it. */
export interface HostLabel {
  id: number
  createdAt: number
  updatedAt: number
  name: string
  description: string
  query: string
  platform: string
  labelType: 'builtin' | 'regular'
  membershipType: 'dynamic' | 'manual'
}

/** Fleet Desktop tokens stop working this long after orbit registered them (Fleet ≥ 4.22). */
export const DEVICE_TOKEN_TTL_MS = 3_600_000

/** True when a device token registered at `createdAt` is still valid at `now`. */
export function deviceTokenFresh(createdAt: number, now: number): boolean {
  return now - createdAt <= DEVICE_TOKEN_TTL_MS
}
