import type { Host } from './host.js'

/**
 * What the check-in path needs to know about a host, kept in memory per node key. Small on
 * purpose: 100,000 hosts cost tens of megabytes. Question providers keep their own per-host
 * times (see RefreshTimes), so adding one adds nothing here.
 */
export interface AgentHost {
  id: number
  teamId: number | null
  platform: string
  hostname: string
  detailUpdatedAt: number
  lastRestartedAt: number
  refetchRequested: boolean
  distributedInterval: number
  configTlsRefresh: number
  loggerTlsPeriod: number
  publicIp: string
}

/** The agent path's view of a host row. */
export function toAgentHost(host: Host): AgentHost {
  return {
    id: host.id,
    teamId: host.teamId,
    platform: host.platform,
    hostname: host.hostname,
    detailUpdatedAt: host.detailUpdatedAt,
    lastRestartedAt: host.lastRestartedAt,
    refetchRequested: host.refetchRequested,
    distributedInterval: host.distributedInterval,
    configTlsRefresh: host.configTlsRefresh,
    loggerTlsPeriod: host.loggerTlsPeriod,
    publicIp: host.publicIp,
  }
}
