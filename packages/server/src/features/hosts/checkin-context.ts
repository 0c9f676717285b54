import type { Deps } from '../../deps.js'
import type { LogLimiter } from '../../platform/log-limiter.js'
import type { AgentHostCache } from './agent-host-cache.js'
import type { AgentQueryProvider } from './agent-query-provider.js'
import type { AgentSources } from './agent-sources.js'
import type { ConfigCache } from './config-cache.js'
import type { PendingQueries } from './pending-queries.js'
import type { RefreshTimes } from './refresh-times.js'
import type { SeenTimeBuffer } from './seen-time-buffer.js'

/**
 * The state the check-in units (enroll, config, distributed read and write) share, all in
 * memory: who a node key is, what was handed out, and the batched per-check-in facts.
 */
export interface CheckinContext {
  deps: Deps
  sources: AgentSources
  providers: readonly AgentQueryProvider[]
  /** Node key → host, invalidated across instances by pub/sub. */
  hosts: AgentHostCache
  /** Check-in times, written in batches. */
  seen: SeenTimeBuffer
  /** Per host and provider schedule: last answer and last full refresh, written in batches. */
  refresh: RefreshTimes
  /** Names this instance handed out and has not seen answered. */
  pending: PendingQueries
  /** osquery config per (team, platform). */
  configs: ConfigCache
  /** Keeps notices about what agents send (answers nobody asked for) to one per kind an hour. */
  notices: LogLimiter
}
