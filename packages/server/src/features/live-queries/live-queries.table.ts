import type { Generated } from 'kysely'

/**
 * One live-query campaign. The targets are resolved once, when it is created, and kept here so
 * an instance that starts while it runs can take it up; `host_ids` is `encodeHostIds` text.
 */
export interface LiveQueryCampaignsTable {
  id: Generated<number>
  created_at: number
  updated_at: number
  /** The saved query run; null for ad-hoc SQL (not saved anywhere else). */
  query_id: number | null
  /** The saved query's name, for the audit log; null for ad-hoc SQL. */
  query_name: string | null
  query_sql: string
  /** 0 waiting for a reader, 1 running, 2 finished (Fleet's numbers). */
  status: number
  user_id: number
  host_count: number
  host_ids: string
}
