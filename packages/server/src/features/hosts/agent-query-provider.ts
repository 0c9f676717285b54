import type { ResultRow } from '@fleet/api'
import type { AgentHost } from './agent-host.js'

/**
 * A feature's full-refresh schedule. The check-in pipeline keeps, per host and schedule name, when
 * the host last answered (the `since` of incremental asks) and when it last answered the whole
 * set (which schedules the next full refresh) — in memory, written in batches, shared by every
 * instance. The name is the key of those times: choose it once and never change it.
 */
export interface RefreshSchedule {
  /** Stable key of this schedule's per-host times, e.g. `labels`. */
  readonly name: string
  /** Full refresh interval in ms (a refetch request also makes it due). */
  readonly intervalMs: number
}

/**
 * A feature that asks hosts questions on check-in (labels, policies, live queries…), plugged
 * into the agent path without hosts depending on it. See the hosts README: "Adding a provider".
 */
export interface AgentQueryProvider {
  /** The query-name prefix it owns, e.g. `fleet_label_query_`. */
  readonly prefix: string
  /**
   * Its full-refresh schedule, or null for a provider without one (live queries): its queries are
   * never "full", and answering them records no time.
   */
  readonly schedule: RefreshSchedule | null
  /**
   * Queries to send, keyed by name suffix: all of them when `full`, else only those that changed
   * after `since` (so a new label reaches hosts on their next check-in). Called on every check-in
   * (read and write): keep it in memory.
   */
  queries(
    host: AgentHost,
    options: { full: boolean; since: number },
  ): Promise<Map<string, { sql: string; discovery?: string }>>
  /**
   * Results by name suffix; null when the query failed on the host, with osquery's message for it
   * in `messages` when the host sent one.
   */
  ingest(
    host: AgentHost,
    results: ReadonlyMap<string, ResultRow[] | null>,
    now: number,
    messages: ReadonlyMap<string, string>,
  ): Promise<void>
}
