import type { Generated } from 'kysely'

export interface PacksTable {
  id: Generated<number>
  created_at: number
  updated_at: number
  name: string
  description: string
  /** Comma-separated platforms; '' for every platform. */
  platform: Generated<string>
  disabled: Generated<number>
}

/** Who a pack's queries go to: hosts with one of its labels, in one of its teams, or named. */
export interface PackTargetsTable {
  pack_id: number
  target_type: string
  target_id: number
}

/** A global saved query in a pack, with osquery's scheduling options (null: osquery's default). */
export interface PackScheduledQueriesTable {
  id: Generated<number>
  created_at: number
  updated_at: number
  pack_id: number
  query_id: number
  name: string
  description: string
  schedule_interval: number
  snapshot: number | null
  removed: number | null
  platform: string | null
  version: string | null
  shard: number | null
  denylist: number | null
}
