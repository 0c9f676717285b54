import type { Generated } from 'kysely'

/** The key pair ABM encrypts server tokens to (`cert`, `key`), sealed with the server key. */
export interface MdmAbmKeysTable {
  name: string
  value: string
  created_at: number
}

/** An ABM server token: sealed OAuth credentials, default teams, the device-sync state. */
export interface MdmAbmTokensTable {
  id: Generated<number>
  org_name: string
  apple_id: Generated<string>
  /** Sealed (`platform/secret-box.ts`) JSON of the four OAuth values; never plain. */
  credentials: string
  /** Apple's `access_token_expiry`, ms. */
  renew_at: number
  terms_expired: Generated<number>
  macos_team_id: number | null
  ios_team_id: number | null
  ipados_team_id: number | null
  /** ABM's cursor after the last fetch or sync; null until the first full fetch finished. */
  sync_cursor: string | null
  last_synced_at: number | null
  last_error: string | null
  created_at: number
  updated_at: number
}

/** A DEP enrollment profile of a token for a team (0 = "No team"), defined at ABM when needed. */
export interface MdmAbmProfilesTable {
  abm_token_id: number
  team_id: number
  enroll_token: string
  profile_uuid: Generated<string>
  defined_at: number | null
}

/** A device ABM lists for this server: a pending host until it enrolls. */
export interface MdmAbmDevicesTable {
  serial_number: string
  abm_token_id: number
  host_id: number | null
  team_id: number | null
  model: Generated<string>
  description: Generated<string>
  device_family: Generated<string>
  os: Generated<string>
  profile_uuid: Generated<string>
  assign_status: Generated<string>
  assigned_at: number | null
  device_configured_at: number | null
  removed_at: number | null
  created_at: number
  updated_at: number
}
