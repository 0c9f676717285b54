import type { Host } from './host.js'

/**
 * What the check-in path needs to know about a host, kept in memory per node key. Small on
 * purpose: 100,000 hosts cost tens of megabytes.
 */
export interface AgentHost {
  id: number
  teamId: number | null
  platform: string
  hostname: string
  detailUpdatedAt: number
  labelUpdatedAt: number
  policyUpdatedAt: number
  lastRestartedAt: number
  refetchRequested: boolean
  distributedInterval: number
  configTlsRefresh: number
  loggerTlsPeriod: number
  publicIp: string
}

export function toAgentHost(host: Host): AgentHost {
  return {
    id: host.id,
    teamId: host.teamId,
    platform: host.platform,
    hostname: host.hostname,
    detailUpdatedAt: host.detailUpdatedAt,
    labelUpdatedAt: host.labelUpdatedAt,
    policyUpdatedAt: host.policyUpdatedAt,
    lastRestartedAt: host.lastRestartedAt,
    refetchRequested: host.refetchRequested,
    distributedInterval: host.distributedInterval,
    configTlsRefresh: host.configTlsRefresh,
    loggerTlsPeriod: host.loggerTlsPeriod,
    publicIp: host.publicIp,
  }
}

/**
 * A per-host offset in [0, maxPercent% of interval), stable for a host, so that hosts enrolled
 * together don't all refresh in the same second.
 */
export function jitterMs(hostId: number, intervalMs: number, maxPercent: number): number {
  const spread = Math.imul(hostId, 2654435761) >>> 0
  return Math.floor(((spread % 1000) / 1000) * intervalMs * (maxPercent / 100))
}

/** True when a refresh of the given kind is due for the host. */
export function isDue(
  lastAt: number,
  hostId: number,
  now: number,
  intervalMs: number,
  maxJitterPercent: number,
): boolean {
  return now - lastAt >= intervalMs + jitterMs(hostId, intervalMs, maxJitterPercent)
}
