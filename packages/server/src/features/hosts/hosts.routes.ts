import {
  countHosts,
  deleteHost,
  deleteHosts,
  getHost,
  getHostByIdentifier,
  hostSummary,
  listHosts,
  listLabelHosts,
  refetchHost,
  transferHosts,
  transferHostsByFilter,
  type HostDetailJson,
  type HostPolicyJson,
  type HostSummaryJson,
} from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { isoTime } from '../../platform/clock.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import { displayName, hostStatus, NEW_WITHIN_MS, type Host, type HostUser } from './host.js'
import * as service from './hosts.service.js'
import { teamNames } from '../teams/index.js'

const NO_ISSUES = {
  failing_policies_count: 0,
  critical_vulnerabilities_count: 0,
  total_issues_count: 0,
}

/**
 * What host pages read from the policies feature, plugged in by the server (policies import
 * hosts, so hosts can't import them). Without it hosts show no policies and no issues.
 */
export interface HostPolicySources {
  /** Failing policies per host id (hosts with none may be missing). */
  failingCounts(hostIds: readonly number[]): Promise<Map<number, number>>
  /** The policies that apply to the host, with its responses. */
  hostPolicies(host: Pick<Host, 'id' | 'teamId' | 'platform'>): Promise<HostPolicyJson[]>
}

/** Fleet's `issues`: failing policies (and critical vulnerabilities, none tracked yet). */
export function issuesOf(failingPolicies: number): HostSummaryJson['issues'] {
  return {
    failing_policies_count: failingPolicies,
    critical_vulnerabilities_count: 0,
    total_issues_count: failingPolicies,
  }
}

export function presentHost(
  host: Host,
  teamName: string | null,
  now: number,
  issues: HostSummaryJson['issues'] = NO_ISSUES,
): HostSummaryJson {
  const name = displayName(host)
  const status = hostStatus(host, now)
  return {
    id: host.id,
    created_at: isoTime(host.createdAt),
    updated_at: isoTime(host.updatedAt),
    detail_updated_at: isoTime(host.detailUpdatedAt),
    label_updated_at: isoTime(host.labelUpdatedAt),
    policy_updated_at: isoTime(host.policyUpdatedAt),
    last_enrolled_at: isoTime(host.lastEnrolledAt),
    last_restarted_at: isoTime(host.lastRestartedAt),
    seen_time: isoTime(host.seenTime),
    refetch_requested: host.refetchRequested,
    hostname: host.hostname,
    computer_name: host.computerName,
    display_name: name,
    display_text: name,
    uuid: host.uuid,
    platform: host.platform,
    platform_like: host.platformLike,
    osquery_version: host.osqueryVersion,
    os_version: host.osVersion,
    build: host.build,
    code_name: host.codeName,
    kernel_version: host.kernelVersion,
    uptime: host.uptimeSeconds * 1_000_000_000,
    memory: host.memory,
    cpu_type: host.cpuType,
    cpu_subtype: host.cpuSubtype,
    cpu_brand: host.cpuBrand,
    cpu_physical_cores: host.cpuPhysicalCores,
    cpu_logical_cores: host.cpuLogicalCores,
    hardware_vendor: host.hardwareVendor,
    hardware_model: host.hardwareModel,
    hardware_version: host.hardwareVersion,
    hardware_serial: host.hardwareSerial,
    public_ip: host.publicIp,
    primary_ip: host.primaryIp,
    primary_mac: host.primaryMac,
    distributed_interval: host.distributedInterval,
    config_tls_refresh: host.configTlsRefresh,
    logger_tls_period: host.loggerTlsPeriod,
    gigs_disk_space_available: host.gigsDiskSpaceAvailable,
    percent_disk_space_available: host.percentDiskSpaceAvailable,
    gigs_total_disk_space: host.gigsTotalDiskSpace,
    additional: host.additional,
    status: status === 'online' || now - host.createdAt > NEW_WITHIN_MS ? status : 'new',
    team_id: host.teamId,
    team_name: teamName,
    issues,
  }
}

async function presentHosts(
  db: Db,
  hosts: readonly Host[],
  now: number,
  policies: HostPolicySources | undefined,
): Promise<HostSummaryJson[]> {
  const names = await teamNames(
    db,
    hosts.flatMap((h) => (h.teamId === null ? [] : [h.teamId])),
  )
  const failing = policies
    ? await policies.failingCounts(hosts.map((h) => h.id))
    : new Map<number, number>()
  return hosts.map((h) =>
    presentHost(
      h,
      h.teamId === null ? null : (names.get(h.teamId) ?? null),
      now,
      issuesOf(failing.get(h.id) ?? 0),
    ),
  )
}

async function presentDetail(
  db: Db,
  found: { host: Host; users: HostUser[] },
  now: number,
  policies: HostPolicySources | undefined,
): Promise<{ host: HostDetailJson }> {
  const [summary] = await presentHosts(db, [found.host], now, policies)
  if (!summary) {
    throw new Error('presenting a host produced nothing')
  }
  return {
    host: {
      ...summary,
      users: found.users,
      policies: policies ? await policies.hostPolicies(found.host) : [],
    },
  }
}

export function registerHostRoutes(
  r: EndpointRegistrar,
  {
    deps,
    invalidateAgents,
    policies,
  }: {
    deps: Deps
    invalidateAgents: (ids: readonly number[]) => Promise<void>
    policies?: HostPolicySources
  },
): void {
  const hostDeps = { ...deps, invalidateAgents }
  const now = () => deps.clock.now().getTime()
  registerEndpoint(r, listHosts, async ({ query }, ctx) => ({
    hosts: await presentHosts(
      deps.db,
      await service.listHosts(hostDeps, ctx, query),
      now(),
      policies,
    ),
  }))
  registerEndpoint(r, listLabelHosts, async ({ params, query }, ctx) => ({
    hosts: await presentHosts(
      deps.db,
      await service.listHosts(hostDeps, ctx, { ...query, label_id: params.id }),
      now(),
      policies,
    ),
  }))
  registerEndpoint(r, countHosts, async ({ query }, ctx) => ({
    count: await service.countHosts(hostDeps, ctx, query),
  }))
  registerEndpoint(r, hostSummary, async ({ query }, ctx) => {
    const s = await service.hostSummary(hostDeps, ctx, query)
    return {
      team_id: s.teamId,
      totals_hosts_count: s.total,
      online_count: s.online,
      offline_count: s.offline,
      mia_count: s.missing,
      missing_30_days_count: s.missing,
      new_count: s.new,
      all_linux_count: s.allLinux,
      platforms: s.platforms.map((p) => ({ platform: p.platform, hosts_count: p.count })),
    }
  })
  registerEndpoint(r, getHost, async ({ params }, ctx) =>
    presentDetail(deps.db, await service.getHost(hostDeps, ctx, params.id), now(), policies),
  )
  registerEndpoint(r, getHostByIdentifier, async ({ params }, ctx) =>
    presentDetail(
      deps.db,
      await service.getHostByIdentifier(hostDeps, ctx, params.identifier),
      now(),
      policies,
    ),
  )
  registerEndpoint(r, deleteHost, async ({ params }, ctx) => {
    await service.deleteHost(hostDeps, ctx, params.id)
    return {}
  })
  registerEndpoint(r, deleteHosts, async ({ body }, ctx) => {
    await service.deleteHosts(hostDeps, ctx, body)
    return {}
  })
  registerEndpoint(r, refetchHost, async ({ params }, ctx) => {
    await service.refetchHost(hostDeps, ctx, params.id)
    return {}
  })
  registerEndpoint(r, transferHosts, async ({ body }, ctx) => {
    await service.transferHosts(hostDeps, ctx, body.team_id, { ids: body.hosts })
    return {}
  })
  registerEndpoint(r, transferHostsByFilter, async ({ body }, ctx) => {
    await service.transferHosts(hostDeps, ctx, body.team_id, { filters: body.filters })
    return {}
  })
}
