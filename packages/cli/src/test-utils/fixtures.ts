import {
  EXAMPLE_APP_CONFIG,
  EXAMPLE_TEAM,
  EXAMPLE_USER,
  type AppConfig,
  type HostDetailJson,
  type HostSummaryJson,
  type Team,
  type User,
} from '@fleet/api'
import type { StoredLabelSpec } from '../label-specs.js'

/** A user as the API returns it; override any field. */
export function userFixture(overrides: Partial<User> = {}): User {
  return { ...structuredClone(EXAMPLE_USER), ...overrides }
}

/** A team as the API returns it; override any field. */
export function teamFixture(overrides: Partial<Team> = {}): Team {
  return { ...structuredClone(EXAMPLE_TEAM), ...overrides }
}

export function appConfigFixture(): AppConfig {
  return structuredClone(EXAMPLE_APP_CONFIG)
}

const T0 = '2024-01-01T00:00:00Z'

/** A host as `GET /hosts` lists it. */
export function hostSummaryFixture(overrides: Partial<HostSummaryJson> = {}): HostSummaryJson {
  return {
    id: 1,
    created_at: T0,
    updated_at: T0,
    detail_updated_at: T0,
    label_updated_at: T0,
    policy_updated_at: T0,
    last_enrolled_at: T0,
    last_restarted_at: T0,
    seen_time: T0,
    refetch_requested: false,
    hostname: 'mbp-1.local',
    computer_name: 'mbp-1',
    display_name: 'mbp-1',
    display_text: 'mbp-1.local',
    uuid: '3F2504E0-4F89-11D3-9A0C-0305E82C3301',
    platform: 'darwin',
    platform_like: 'darwin',
    osquery_version: '5.12.1',
    os_version: 'macOS 14.4',
    build: '23E214',
    code_name: '',
    kernel_version: '23.4.0',
    uptime: 0,
    memory: 17179869184,
    cpu_type: 'arm64e',
    cpu_subtype: 'ARM64E',
    cpu_brand: 'Apple M2',
    cpu_physical_cores: 8,
    cpu_logical_cores: 8,
    hardware_vendor: 'Apple Inc.',
    hardware_model: 'Mac14,2',
    hardware_version: '',
    hardware_serial: 'C02XYZ',
    public_ip: '',
    primary_ip: '10.0.0.2',
    primary_mac: 'a0:b1:c2:d3:e4:f5',
    distributed_interval: 10,
    config_tls_refresh: 60,
    logger_tls_period: 10,
    gigs_disk_space_available: 100,
    percent_disk_space_available: 50,
    gigs_total_disk_space: 200,
    additional: null,
    status: 'online',
    team_id: null,
    team_name: null,
    issues: { failing_policies_count: 0, critical_vulnerabilities_count: 0, total_issues_count: 0 },
    mdm: { encryption_key_available: false, enrollment_status: null, name: '', server_url: null },
    ...overrides,
  }
}

/** A host as `GET /hosts/identifier/:identifier` returns it. */
export function hostFixture(overrides: Partial<HostDetailJson> = {}): HostDetailJson {
  return {
    ...hostSummaryFixture(),
    users: [],
    labels: [],
    packs: [],
    pack_stats: [],
    software: [],
    batteries: [],
    orbit_version: '1.40.0',
    fleet_desktop_version: '1.40.0',
    scripts_enabled: false,
    disk_encryption_enabled: null,
    maintenance_window: null,
    software_updated_at: T0,
    ...overrides,
  }
}

/** A label as `GET /spec/labels` returns it: dynamic unless overridden. */
export function labelSpecFixture(overrides: Partial<StoredLabelSpec> = {}): StoredLabelSpec {
  return {
    id: 10,
    name: 'slack_not_running',
    description: 'Hosts without Slack running',
    query: "SELECT 1 FROM processes WHERE name = 'Slack' HAVING COUNT(*) = 0",
    platform: 'darwin',
    label_type: 'regular',
    label_membership_type: 'dynamic',
    hosts: null,
    ...overrides,
  }
}
