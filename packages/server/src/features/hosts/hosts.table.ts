import type { Generated } from 'kysely'

/** Columns wrapped in Generated have database defaults (optional on insert). */
export interface HostsTable {
  id: Generated<number>
  created_at: number
  updated_at: number
  team_id: number | null
  /** SHA-256 of the osquery node key; null once the host must re-enroll. */
  node_key_hash: string | null
  osquery_host_id: Generated<string>
  uuid: Generated<string>
  hostname: Generated<string>
  computer_name: Generated<string>
  platform: Generated<string>
  platform_like: Generated<string>
  os_version: Generated<string>
  build: Generated<string>
  code_name: Generated<string>
  osquery_version: Generated<string>
  kernel_version: Generated<string>
  uptime_seconds: Generated<number>
  memory: Generated<number>
  cpu_type: Generated<string>
  cpu_subtype: Generated<string>
  cpu_brand: Generated<string>
  cpu_physical_cores: Generated<number>
  cpu_logical_cores: Generated<number>
  hardware_vendor: Generated<string>
  hardware_model: Generated<string>
  hardware_version: Generated<string>
  hardware_serial: Generated<string>
  primary_ip: Generated<string>
  primary_mac: Generated<string>
  public_ip: Generated<string>
  distributed_interval: Generated<number>
  config_tls_refresh: Generated<number>
  logger_tls_period: Generated<number>
  gigs_disk_space_available: Generated<number>
  percent_disk_space_available: Generated<number>
  gigs_total_disk_space: Generated<number>
  detail_updated_at: Generated<number>
  last_enrolled_at: Generated<number>
  last_restarted_at: Generated<number>
  seen_time: Generated<number>
  refetch_requested: Generated<number>
  additional: string | null
}

export interface HostUsersTable {
  host_id: number
  uid: number
  username: string
  type: string
  groupname: string
  shell: string
}
