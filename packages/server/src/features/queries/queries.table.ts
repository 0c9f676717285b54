import type { Generated } from 'kysely'

/** Saved queries: global (team_id null) or a team's; name unique per team. */
export interface QueriesTable {
  id: Generated<number>
  created_at: number
  updated_at: number
  team_id: number | null
  /** `String(team_id)`, or '' for global queries: the unique key (team_id_char, name). */
  team_id_char: string
  name: string
  description: string
  query: string
  saved: Generated<number>
  observer_can_run: number
  /** Seconds between runs on hosts; 0 = not scheduled. */
  schedule_interval: number
  /** Comma-separated darwin, windows, linux, chrome; '' for all. */
  platform: string
  min_osquery_version: string
  automations_enabled: number
  logging_type: string
  discard_data: number
  author_id: number | null
}

/** Query reports: the latest result rows of a scheduled query, per host. */
export interface QueryResultsTable {
  id: Generated<number>
  query_id: number
  host_id: number
  /** One row as JSON (column → value); null when the host's last snapshot had no rows. */
  data: string | null
  last_fetched: number
}
