import type { Generated } from 'kysely'

/** Orbit (fleetd) per host. Written by orbit enrollment and check-ins. */
export interface HostOrbitInfoTable {
  host_id: number
  /** SHA-256 of the orbit node key; a re-enrollment replaces it. */
  node_key_hash: string | null
  enrolled_at: Generated<number>
  /** Last orbit config poll (buffered, so up to a flush interval behind). */
  last_checkin_at: Generated<number>
  /** fleetd and Fleet Desktop versions, from the `orbit_info` table (not collected yet). */
  version: Generated<string>
  desktop_version: Generated<string>
  scripts_enabled: number | null
}

/** The Fleet Desktop device token of a host: one per host, replaced on rotation. */
export interface HostDeviceAuthTable {
  host_id: number
  /** SHA-256 of the token; lookups hash the token from the URL. */
  token_hash: string
  /** When this token was registered; it stops working an hour later. */
  created_at: number
}
