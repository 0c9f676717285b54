import { z } from 'zod'
import { IdParams, JsonObject, Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'
import { HostFilters, ListHostsQuery } from './host-filters.js'
import { HostPolicyJson } from './policies.js'

export const HostStatus = z.enum(['online', 'offline', 'missing', 'new'])

export const HostIssues = z.object({
  failing_policies_count: z.number().int(),
  critical_vulnerabilities_count: z.number().int(),
  total_issues_count: z.number().int(),
})

/** An email of a host's user and where Fleet learned it. */
export const HostDeviceMappingJson = z.object({ email: z.string(), source: z.string() })

/** A label in Fleet's host summary. */
export const LabelSummaryJson = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  label_type: z.enum(['builtin', 'regular']),
})
export type LabelSummaryJson = z.infer<typeof LabelSummaryJson>

/**
 * The host's MDM as Fleet shows it, in lists and the detail; a host without MDM has Fleet's
 * empty values. `dep_profile_error` is in Fleet's list items: false until automatic (DEP)
 * enrollment assigns profiles.
 */
export const HostMdmJson = z.object({
  encryption_key_available: z.boolean(),
  enrollment_status: z.string().nullable(),
  dep_profile_error: z.boolean().optional(),
  name: z.string(),
  server_url: z.string().nullable(),
})
export type HostMdmJson = z.infer<typeof HostMdmJson>

/** A host in lists (Fleet's field names; `uptime` in nanoseconds like Fleet). */
export const HostSummaryJson = z
  .object({
    id: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
    detail_updated_at: Timestamp,
    label_updated_at: Timestamp,
    policy_updated_at: Timestamp,
    last_enrolled_at: Timestamp,
    last_restarted_at: Timestamp,
    seen_time: Timestamp,
    refetch_requested: z.boolean(),
    hostname: z.string(),
    computer_name: z.string(),
    display_name: z.string(),
    display_text: z.string(),
    uuid: z.string(),
    platform: z.string(),
    platform_like: z.string(),
    osquery_version: z.string(),
    os_version: z.string(),
    build: z.string(),
    code_name: z.string(),
    kernel_version: z.string(),
    uptime: z.number(),
    memory: z.number(),
    cpu_type: z.string(),
    cpu_subtype: z.string(),
    cpu_brand: z.string(),
    cpu_physical_cores: z.number().int(),
    cpu_logical_cores: z.number().int(),
    hardware_vendor: z.string(),
    hardware_model: z.string(),
    hardware_version: z.string(),
    hardware_serial: z.string(),
    public_ip: z.string(),
    primary_ip: z.string(),
    primary_mac: z.string(),
    distributed_interval: z.number().int(),
    config_tls_refresh: z.number().int(),
    logger_tls_period: z.number().int(),
    gigs_disk_space_available: z.number(),
    percent_disk_space_available: z.number(),
    gigs_total_disk_space: z.number(),
    additional: z.record(z.string(), z.unknown()).nullable(),
    /** Fleet's Host.Status: missing hosts are offline, new ones online or offline. */
    status: z.enum(['online', 'offline']),
    team_id: z.number().int().nullable(),
    team_name: z.string().nullable(),
    issues: HostIssues,
    mdm: HostMdmJson,
    /** With `populate_policies`: the policies that apply to the host, with its responses. */
    policies: z.array(HostPolicyJson).optional(),
    /** With `device_mapping`: its users' emails, null when none are known. */
    device_mapping: z.array(HostDeviceMappingJson).nullable().optional(),
  })
  .meta({ id: 'Host' })
export type HostSummaryJson = z.infer<typeof HostSummaryJson>

export const HostUserJson = z.object({
  uid: z.number().int(),
  username: z.string(),
  type: z.string(),
  groupname: z.string(),
  shell: z.string(),
})

/** A label the host belongs to, in the host detail. */
export const HostLabelJson = z.object({
  id: z.number().int(),
  created_at: Timestamp,
  updated_at: Timestamp,
  name: z.string(),
  description: z.string(),
  query: z.string(),
  platform: z.string(),
  label_type: z.enum(['builtin', 'regular']),
  label_membership_type: z.enum(['dynamic', 'manual']),
})

export const HostDetailJson = HostSummaryJson.extend({
  users: z.array(HostUserJson),
  labels: z.array(HostLabelJson),
  /** Packs targeting the host (none: packs are not served). */
  packs: z.array(JsonObject),
  /** Scheduled query statistics per pack (none collected yet). */
  pack_stats: z.array(JsonObject),
  /** Installed software (no software inventory is collected yet: empty). */
  software: z.array(JsonObject),
  batteries: z.array(z.object({ cycle_count: z.number().int(), health: z.string() })),
  /** fleetd (orbit) version from its orbit_info table; null without orbit. */
  orbit_version: z.string().nullable(),
  fleet_desktop_version: z.string().nullable(),
  scripts_enabled: z.boolean().nullable(),
  /** Null: unknown (no disk encryption query yet). */
  disk_encryption_enabled: z.boolean().nullable(),
  /** The host's next calendar maintenance window; null without calendar integration. */
  maintenance_window: JsonObject.nullable(),
  /** When the host's software was last read; its enrollment time while none is. */
  software_updated_at: Timestamp,
}).meta({
  id: 'HostDetail',
})
export type HostDetailJson = z.infer<typeof HostDetailJson>

export const listHosts = defineEndpoint({
  method: 'GET',
  path: '/hosts',
  mount: 'fleet',
  tag: 'Hosts',
  summary: 'List hosts, filtered and paged',
  auth: 'user',
  query: ListHostsQuery,
  response: z.object({ hosts: z.array(HostSummaryJson) }),
})

export const countHosts = defineEndpoint({
  method: 'GET',
  path: '/hosts/count',
  mount: 'fleet',
  tag: 'Hosts',
  summary: 'Count hosts matching filters',
  auth: 'user',
  query: HostFilters,
  response: z.object({ count: z.number().int() }),
})

export const hostSummary = defineEndpoint({
  method: 'GET',
  path: '/host_summary',
  mount: 'fleet',
  tag: 'Hosts',
  summary: 'Host counts by status and platform',
  auth: 'user',
  query: z.object({
    team_id: z.coerce.number().int().min(0).optional(),
    platform: z.string().max(64).optional(),
    /** Counts hosts with at most this many GB available in `low_disk_space_count` (1–100). */
    low_disk_space: z.coerce.number().int().min(1).max(100).optional(),
  }),
  response: z.object({
    team_id: z.number().int().nullable(),
    totals_hosts_count: z.number().int(),
    online_count: z.number().int(),
    offline_count: z.number().int(),
    mia_count: z.number().int(),
    missing_30_days_count: z.number().int(),
    new_count: z.number().int(),
    all_linux_count: z.number().int(),
    /** Only with the `low_disk_space` parameter. */
    low_disk_space_count: z.number().int().optional(),
    builtin_labels: z.array(LabelSummaryJson),
    platforms: z.array(z.object({ platform: z.string(), hosts_count: z.number().int() })),
  }),
})

export const getHost = defineEndpoint({
  method: 'GET',
  path: '/hosts/:id',
  mount: 'fleet',
  tag: 'Hosts',
  summary: 'Get a host',
  auth: 'user',
  params: IdParams,
  response: z.object({ host: HostDetailJson }),
})

export const getHostByIdentifier = defineEndpoint({
  method: 'GET',
  path: '/hosts/identifier/:identifier',
  mount: 'fleet',
  tag: 'Hosts',
  summary: 'Get a host by hostname, UUID, serial number or osquery identifier',
  auth: 'user',
  params: z.object({ identifier: z.string().min(1).max(255) }),
  response: z.object({ host: HostDetailJson }),
})

export const deleteHost = defineEndpoint({
  method: 'DELETE',
  path: '/hosts/:id',
  mount: 'fleet',
  tag: 'Hosts',
  summary: 'Delete a host (it enrolls again on its next check-in)',
  auth: 'user',
  params: IdParams,
  response: z.object({}),
})

export const deleteHosts = defineEndpoint({
  method: 'POST',
  path: '/hosts/delete',
  mount: 'fleet',
  tag: 'Hosts',
  summary: 'Delete hosts by id, or every host matching filters',
  auth: 'user',
  body: z
    .object({
      ids: z.array(z.number().int().positive()).max(100_000).optional(),
      filters: HostFilters.optional(),
    })
    .refine(
      (b) => (b.ids === undefined) !== (b.filters === undefined),
      'give either ids or filters',
    ),
  response: z.object({}),
})

export const refetchHost = defineEndpoint({
  method: 'POST',
  path: '/hosts/:id/refetch',
  mount: 'fleet',
  tag: 'Hosts',
  summary: "Re-read the host's vitals on its next check-in",
  auth: 'user',
  params: IdParams,
  response: z.object({}),
})

export const transferHosts = defineEndpoint({
  method: 'POST',
  path: '/hosts/transfer',
  mount: 'fleet',
  tag: 'Hosts',
  summary: 'Move hosts to a team (null: no team)',
  auth: 'user',
  body: z.object({
    team_id: z.number().int().positive().nullable(),
    hosts: z.array(z.number().int().positive()).min(1).max(100_000),
  }),
  response: z.object({}),
})

export const transferHostsByFilter = defineEndpoint({
  method: 'POST',
  path: '/hosts/transfer/filter',
  mount: 'fleet',
  tag: 'Hosts',
  summary: 'Move every host matching filters to a team (null: no team)',
  auth: 'user',
  body: z.object({ team_id: z.number().int().positive().nullable(), filters: HostFilters }),
  response: z.object({}),
})
