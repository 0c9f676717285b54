import type { Generated } from 'kysely'

export interface MdmAppleConfigurationProfilesTable {
  /** `a` + a UUID. */
  profile_uuid: string
  /** 0: "No team". */
  team_id: number
  /** PayloadIdentifier. */
  identifier: string
  /** PayloadDisplayName. */
  name: string
  mobileconfig: string
  /** Lower-case hex MD5 of the file. */
  checksum: string
  created_at: number
  uploaded_at: number
  secrets_updated_at: number | null
}

export interface MdmAppleDeclarationsTable {
  /** `d` + a UUID. */
  declaration_uuid: string
  team_id: number
  /** The declaration's Identifier. */
  identifier: string
  /** The file name without `.json`. */
  name: string
  raw_json: string
  /** Upper-case hex ServerToken. */
  token: string
  created_at: number
  uploaded_at: number
  secrets_updated_at: number | null
}

export interface MdmProfileLabelsTable {
  id: Generated<number>
  profile_uuid: string
  label_id: number | null
  label_name: string
  exclude: number
  require_all: number
}

export interface HostMdmAppleProfilesTable {
  host_uuid: string
  profile_uuid: string
  profile_identifier: string
  profile_name: string
  status: string | null
  operation_type: string
  detail: string | null
  command_uuid: string | null
  checksum: string
  updated_at: number
  /** Re-installs after a ProfileList did not show the profile (mdm-profile-delivery). */
  retries: Generated<number>
}

export interface HostMdmAppleDeclarationsTable {
  host_uuid: string
  declaration_uuid: string
  declaration_identifier: string
  declaration_name: string
  status: string | null
  operation_type: string
  detail: string | null
  token: string
  secrets_updated_at: number | null
  resync: number
  updated_at: number
}
