import type { AgentHost } from './agent-host.js'
import type { AgentQueryProvider } from './agent-query-provider.js'
import type { RefreshTimes } from './refresh-times.js'

/**
 * "Is this query due": the one rule distributed read (what to ask) and distributed write (which
 * answers to take) share, for detail queries and for every provider with a schedule.
 */

/**
 * A per-host offset in [0, maxPercent% of interval), stable for a host, so that hosts enrolled
 * together don't all refresh in the same second.
 */
export function jitterMs(hostId: number, intervalMs: number, maxPercent: number): number {
  const spread = Math.imul(hostId, 2654435761) >>> 0
  return Math.floor(((spread % 1000) / 1000) * intervalMs * (maxPercent / 100))
}

/** True when `intervalMs` (plus the host's jitter) has passed since `lastAt`. */
export function isDue(
  lastAt: number,
  hostId: number,
  now: number,
  intervalMs: number,
  maxJitterPercent: number,
): boolean {
  return now - lastAt >= intervalMs + jitterMs(hostId, intervalMs, maxJitterPercent)
}

/** A full refresh is due when the host was asked to refetch, or its interval has passed. */
export function refreshDue(
  host: Pick<AgentHost, 'id' | 'refetchRequested'>,
  lastAt: number,
  intervalMs: number,
  now: number,
  maxJitterPercent: number,
): boolean {
  return host.refetchRequested || isDue(lastAt, host.id, now, intervalMs, maxJitterPercent)
}

/** Detail queries are due on the host's refetch request or `detail_update_interval`. */
export function detailsDue(
  host: Pick<AgentHost, 'id' | 'refetchRequested' | 'detailUpdatedAt'>,
  now: number,
  osquery: { detail_update_interval: number; max_jitter_percent: number },
): boolean {
  return refreshDue(
    host,
    host.detailUpdatedAt,
    osquery.detail_update_interval,
    now,
    osquery.max_jitter_percent,
  )
}

/** What to ask a provider for a host now: its whole set (`full`), or what changed after `since`. */
export interface Ask {
  full: boolean
  since: number
}

/**
 * The ask for a provider: full when its schedule is due (a schedule-less provider, like live
 * queries, is never full), else the incremental ask since the host last answered it.
 */
export function askFor(
  provider: AgentQueryProvider,
  host: AgentHost,
  times: RefreshTimes,
  now: number,
  maxJitterPercent: number,
): Ask {
  if (provider.schedule === null) {
    return { full: false, since: 0 }
  }
  const { since, refreshedAt } = times.get(host.id, provider.schedule.name)
  const full = refreshDue(host, refreshedAt, provider.schedule.intervalMs, now, maxJitterPercent)
  return { full, since }
}
