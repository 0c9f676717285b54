import type { HostDetailJson, HostPolicyJson, HostSummaryJson } from '@fleet/api'
import type { Db } from '../../db/database.js'
import { isoTime } from '../../platform/clock.js'
import { teamNames } from '../teams/index.js'
import { displayName, hostStatus, type Host, type HostUser } from './host.js'
import { NO_MDM, type HostsMdmSource } from './host-mdm.js'
import type { HostLabel, OrbitInfo } from './orbit-host.js'

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
  /** The labels the host belongs to, for the host detail's `labels`. */
  hostLabels(hostId: number): Promise<HostLabel[]>
}

/** What the host detail shows beyond the list fields; found by the service and sources. */
export interface HostDetail {
  host: Host
  users: HostUser[]
  orbit: OrbitInfo | undefined
}

/** The host detail's fields beyond the list's and `users`. */
export type HostDetailFields = Omit<HostDetailJson, keyof HostSummaryJson | 'users'>

/** What a host list adds to each host, on request (Fleet's list parameters). */
export interface HostListExtras {
  /** `populate_policies`: each host's policies. */
  policies?: boolean
  /** `device_mapping`: each host's users' emails (none are collected yet: null, as Fleet shows). */
  deviceMapping?: boolean
  /** False with `disable_issues`: every count zero. */
  issues?: boolean
  /** Each host's `mdm` (one query for the page); Fleet's "no MDM" without it. */
  mdm?: HostsMdmSource
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
    status: hostStatus(host, now), // online or offline only, as Fleet's Host.Status
    team_id: host.teamId,
    team_name: teamName,
    issues,
    mdm: NO_MDM,
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
  const mdm = extras.mdm ? await extras.mdm(hosts.map((h) => h.id)) : new Map()
  const result: HostSummaryJson[] = []
  for (const host of hosts) {
    const json = presentHost(
      host,
      host.teamId === null ? null : (names.get(host.teamId) ?? null),
      now,
      issuesOf(failing.get(host.id) ?? 0),
    )
    json.mdm = mdm.get(host.id) ?? NO_MDM
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

/** A label as the host detail (and the My device page) lists it. */
export function presentHostLabel(label: HostLabel): HostDetailJson['labels'][number] {
  return {
    id: label.id,
    created_at: isoTime(label.createdAt),
    updated_at: isoTime(label.updatedAt),
    name: label.name,
    description: label.description,
    query: label.query,
    platform: label.platform,
    label_type: label.labelType,
    label_membership_type: label.membershipType,
  }
}

/**
 * The host detail's fields beyond the list's: labels, orbit (from its orbit_info), and Fleet's
 * values for a host without software, packs, batteries, MDM or a maintenance window, which are
 * not collected yet.
 */
export function presentDetailFields(
  host: Host,
  labels: readonly HostLabel[],
  orbit: OrbitInfo | undefined,
): HostDetailFields {
  return {
    labels: labels.map(presentHostLabel),
    packs: [],
    pack_stats: [],
    software: [],
    batteries: [],
    orbit_version: orbit?.version ?? null,
    fleet_desktop_version: orbit?.desktopVersion ?? null,
    scripts_enabled: orbit?.scriptsEnabled ?? null,
    disk_encryption_enabled: null,
    maintenance_window: null,
    software_updated_at: isoTime(host.createdAt),
  }
}

/** `GET /hosts/{id}` and `/hosts/identifier/{x}`: the list fields plus the detail's. */
export async function presentDetail(
  db: Db,
  found: HostDetail,
  now: number,
  sources: {
    policies?: HostPolicySources
    labels?: HostLabelSources
    /** The host's MDM status (Apple MDM check-in); Fleet's "no MDM" without it. */
    mdm?: HostsMdmSource
  },
): Promise<{ host: HostDetailJson }> {
  const [[summary], labels] = await Promise.all([
    presentHosts(db, [found.host], now, sources.policies, { policies: true, mdm: sources.mdm }),
    sources.labels ? sources.labels.hostLabels(found.host.id) : [],
  ])
  if (!summary) {
    throw new Error('presenting a host produced nothing')
  }
  return {
    host: {
      ...summary,
      users: found.users,
      ...presentDetailFields(found.host, labels, found.orbit),
    },
  }
}
