import type { Generated } from 'kysely'

export interface PoliciesTable {
  id: Generated<number>
  created_at: number
  updated_at: number
  /** null for a global policy. */
  team_id: number | null
  /** team_id, or 0 for global policies (the unique key on team_key + name). */
  team_key: number
  name: string
  query: string
  description: string
  resolution: string
  /** Comma-separated darwin, windows, linux, chrome; '' for every platform. */
  platform: Generated<string>
  critical: Generated<number>
  calendar_events_enabled: Generated<number>
  author_id: number | null
  /** Refreshed by the `policy_host_counts` job. */
  passing_host_count: Generated<number>
  failing_host_count: Generated<number>
  host_count_updated_at: number | null
}

/** Each host's latest result per policy: passes 1, fails 0, null when the query errored. */
export interface PolicyMembershipTable {
  policy_id: number
  host_id: number
  passes: number | null
  updated_at: number
}

/** Host counts of a global policy over one team's hosts (shown as the team's inherited policies). */
export interface PolicyStatsTable {
  policy_id: number
  team_id: number
  passing_host_count: number
  failing_host_count: number
  updated_at: number
}

/** Hosts that newly failed a policy with a webhook automation, until the webhook took them. */
export interface PolicyWebhookQueueTable {
  policy_id: number
  host_id: number
  queued_at: number
}
