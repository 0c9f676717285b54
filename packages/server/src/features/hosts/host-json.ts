import type { HostDetailJson, HostPolicyJson, HostSummaryJson } from '@fleet/api'
import type { Db } from '../../db/database.js'
import { isoTime } from '../../platform/clock.js'
import { teamNames } from '../teams/index.js'
import { displayName, hostStatus, NEW_WITHIN_MS, type Host, type HostUser } from './host.js'
import type { HostLabel } from './orbit-host.js'

/** Hosts as Fleet's REST API shows them: lists, the host detail, and what other features add. */

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

/** What the host summary reads from the labels feature, which provides it (labels import hosts). */
export interface HostLabelSources {
  /** Fleet's built-in labels ("All Hosts", "macOS"…), for the summary's `builtin_labels`. */
  builtinLabels(): Promise<HostLabel[]>
}

/** What a host list adds to each host, on request (Fleet's list parameters). */
export interface HostListExtras {
  /** `populate_policies`: each host's policies. */
  policies?: boolean
  /** `device_mapping`: each host's users' emails (none are collected yet: null, as Fleet shows). */
  deviceMapping?: boolean
  /** False with `disable_issues`: every count zero. */
  issues?: boolean
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

/** Hosts in a list, with their team names and issues, and the extras the request asked for. */
export async function presentHosts(
  db: Db,
  hosts: readonly Host[],
  now: number,
  policies: HostPolicySources | undefined,
  extras: HostListExtras = {},
): Promise<HostSummaryJson[]> {
  const names = await teamNames(
    db,
    hosts.flatMap((h) => (h.teamId === null ? [] : [h.teamId])),
  )
  const failing =
    policies && extras.issues !== false
      ? await policies.failingCounts(hosts.map((h) => h.id))
      : new Map<number, number>()
  const result: HostSummaryJson[] = []
  for (const host of hosts) {
    const json = presentHost(
      host,
      host.teamId === null ? null : (names.get(host.teamId) ?? null),
      now,
      issuesOf(failing.get(host.id) ?? 0),
    )
    if (extras.policies) {
      json.policies = policies ? await policies.hostPolicies(host) : []
    }
    if (extras.deviceMapping) {
      json.device_mapping = null
    }
    result.push(json)
  }
  return result
}

/** `GET /hosts/{id}` and `/hosts/identifier/{x}`: the list fields plus users and policies. */
export async function presentDetail(
  db: Db,
  found: { host: Host; users: HostUser[] },
  now: number,
  policies: HostPolicySources | undefined,
): Promise<{ host: HostDetailJson }> {
  const [summary] = await presentHosts(db, [found.host], now, policies, { policies: true })
  if (!summary) {
    throw new Error('presenting a host produced nothing')
  }
  return { host: { ...summary, users: found.users } }
}
