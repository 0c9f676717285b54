/**
 * Per host and refresh schedule (a question provider's, e.g. `labels`): when the host last
 * answered (`asked_since`, the `since` of incremental asks) and when it last answered the whole
 * set (`refreshed_at`, which schedules the next full refresh). Written in batches.
 */
export interface HostRefreshTimesTable {
  host_id: number
  provider: string
  asked_since: number
  refreshed_at: number
}
