import type { Generated } from 'kysely'

/** Every DDM request a device made (Fleet's table of the same name). */
export interface MdmAppleDeclarativeRequestsTable {
  id: Generated<number>
  enrollment_id: string
  /** The Endpoint: tokens, declaration-items, status, declaration/<type>/<identifier>. */
  message_type: string
  /** The Data JSON the device sent (status reports), capped; null when none. */
  raw_json: string | null
  created_at: number
}

/** Per host: the last time the server asked it to sync its declarations, and how often since. */
export interface MdmAppleDdmHostSyncsTable {
  host_uuid: string
  enrollment_id: string
  requested_at: number
  attempts: Generated<number>
}
