/**
 * osquery's flags and their value types, as Fleet validates agent options (osquery 5.x): `config.options`
 * may set the runtime options, `command_line_flags` any flag osqueryd accepts at start-up. Unknown
 * names or wrong types are refused unless the request passes `force` (for options of newer osquery
 * versions than this list knows).
 */
export type OsqueryFlagType = 'bool' | 'string' | 'uint' | 'int'

const b = 'bool' as const
const s = 'string' as const
const u = 'uint' as const
const i = 'int' as const

/** Options osquery accepts from its config (`config.options` in agent options). */
export const OSQUERY_RUNTIME_OPTIONS: Readonly<Record<string, OsqueryFlagType>> = {
  audit_allow_config: b,
  audit_allow_fim_events: b,
  audit_allow_process_events: b,
  audit_allow_sockets: b,
  audit_allow_user_events: b,
  augeas_lenses: s,
  aws_access_key_id: s,
  aws_debug: b,
  aws_disable_imdsv1_fallback: b,
  aws_enable_proxy: b,
  aws_firehose_endpoint: s,
  aws_firehose_period: u,
  aws_firehose_region: s,
  aws_firehose_stream: s,
  aws_imdsv2_request_attempts: u,
  aws_imdsv2_request_interval: u,
  aws_kinesis_disable_log_status: b,
  aws_kinesis_endpoint: s,
  aws_kinesis_period: u,
  aws_kinesis_random_partition_key: b,
  aws_kinesis_region: s,
  aws_kinesis_stream: s,
  aws_profile_name: s,
  aws_proxy_host: s,
  aws_proxy_password: s,
  aws_proxy_port: u,
  aws_proxy_scheme: s,
  aws_proxy_username: s,
  aws_region: s,
  aws_secret_access_key: s,
  aws_session_token: s,
  aws_sts_arn_role: s,
  aws_sts_region: s,
  aws_sts_session_name: s,
  aws_sts_timeout: u,
  buffered_log_max: u,
  decorations_top_level: b,
  disable_audit: b,
  disable_caching: b,
  disable_database: b,
  disable_decorators: b,
  disable_distributed: b,
  disable_events: b,
  disable_hash_cache: b,
  disable_logging: b,
  distributed_denylist_duration: u,
  distributed_interval: u,
  distributed_loginfo: b,
  distributed_plugin: s,
  distributed_tls_max_attempts: u,
  distributed_tls_read_endpoint: s,
  distributed_tls_write_endpoint: s,
  docker_socket: s,
  enable_file_events: b,
  enable_foreign: b,
  enable_numeric_monitoring: b,
  ephemeral: b,
  es_fim_enable_open_events: b,
  events_expiry: u,
  events_max: u,
  events_optimize: b,
  experiment_list: s,
  extensions_default_index: b,
  hash_cache_max: u,
  host_identifier: s,
  ignore_table_exceptions: b,
  keychain_access_cache: b,
  keychain_access_interval: u,
  logger_event_type: b,
  logger_kafka_acks: s,
  logger_kafka_brokers: s,
  logger_kafka_compression: s,
  logger_kafka_topic: s,
  logger_min_status: i,
  logger_min_stderr: i,
  logger_numerics: b,
  logger_path: s,
  logger_rotate: b,
  logger_rotate_max_files: u,
  logger_rotate_size: u,
  logger_snapshot_event_type: b,
  logger_syslog_facility: i,
  logger_syslog_prepend_cee: b,
  logger_tls_backoff_max: u,
  logger_tls_compress: b,
  logger_tls_endpoint: s,
  logger_tls_max_lines: u,
  logger_tls_max_linesize: u,
  logger_tls_period: u,
  nullvalue: s,
  numeric_monitoring_filesystem_path: s,
  numeric_monitoring_plugins: s,
  numeric_monitoring_pre_aggregation_time: u,
  pack_delimiter: s,
  pack_refresh_interval: u,
  read_max: u,
  schedule_default_interval: u,
  schedule_epoch: u,
  schedule_lognames: b,
  schedule_max_drift: u,
  schedule_reload: u,
  schedule_splay_percent: u,
  schedule_timeout: u,
  specified_identifier: s,
  table_delay: u,
  thrift_string_size_limit: i,
  thrift_timeout: u,
  thrift_verbose: b,
  tls_disable_status_log: b,
  verbose: b,
  yara_delay: u,
  yara_sigurl_authenticate: b,
  ...platformOptions(),
}

/** Flags only osqueryd's command line (or flagfile) accepts; with the runtime options, all flags. */
const START_UP_ONLY_FLAGS: Readonly<Record<string, OsqueryFlagType>> = {
  alarm_timeout: u,
  aws_enforce_fips: b,
  carver_block_size: u,
  carver_compression: b,
  carver_continue_endpoint: s,
  carver_disable_function: b,
  carver_expiry: u,
  carver_start_endpoint: s,
  config_accelerated_refresh: u,
  config_check: b,
  config_dump: b,
  config_enable_backup: b,
  config_path: s,
  config_plugin: s,
  config_refresh: u,
  config_tls_endpoint: s,
  config_tls_max_attempts: u,
  daemonize: b,
  database_dump: b,
  database_path: s,
  disable_carver: b,
  disable_enrollment: b,
  disable_extensions: b,
  disable_reenrollment: b,
  disable_tables: s,
  disable_watchdog: b,
  enable_extensions_watchdog: b,
  enable_tables: s,
  enable_watchdog_debug: b,
  enroll_always: b,
  enroll_secret_env: s,
  enroll_secret_path: s,
  enroll_tls_endpoint: s,
  extensions_autoload: s,
  extensions_interval: s,
  extensions_require: s,
  extensions_socket: s,
  extensions_timeout: s,
  force: b,
  install: b,
  logger_mode: s,
  logger_plugin: s,
  logger_stderr: b,
  logtostderr: b,
  pidfile: s,
  proxy_hostname: s,
  stderrthreshold: i,
  tls_client_cert: s,
  tls_client_key: s,
  tls_enroll_max_attempts: u,
  tls_enroll_max_interval: u,
  tls_hostname: s,
  tls_server_certs: s,
  tls_session_reuse: b,
  tls_session_timeout: u,
  uninstall: b,
  watchdog_delay: u,
  watchdog_forced_shutdown_delay: u,
  watchdog_latency_limit: u,
  watchdog_level: i,
  watchdog_memory_limit: u,
  watchdog_utilization_limit: u,
}

/** Every flag osqueryd accepts at start-up (`command_line_flags` in agent options). */
export const OSQUERY_COMMAND_LINE_FLAGS: Readonly<Record<string, OsqueryFlagType>> = {
  ...OSQUERY_RUNTIME_OPTIONS,
  ...START_UP_ONLY_FLAGS,
}

/** Options that exist only on one operating system's osquery build (Linux, Windows, macOS). */
function platformOptions(): Record<string, OsqueryFlagType> {
  return {
    // Linux
    audit_backlog_limit: u,
    audit_backlog_wait_time: u,
    audit_debug: b,
    audit_force_reconfigure: b,
    audit_force_unconfigure: b,
    audit_persist: b,
    audit_show_partial_fim_events: b,
    audit_show_untracked_res_warnings: b,
    enable_bpf_events: b,
    enable_syslog: b,
    hardware_disabled_types: s,
    malloc_trim_threshold: u,
    syslog_events_expiry: u,
    syslog_events_max: u,
    syslog_pipe_path: s,
    syslog_rate_limit: u,
    // Windows
    enable_ntfs_event_publisher: b,
    enable_powershell_events_subscriber: b,
    enable_windows_events_publisher: b,
    enable_windows_events_subscriber: b,
    windows_event_channels: s,
    users_service_delay: u,
    users_service_interval: u,
    groups_service_delay: u,
    groups_service_interval: u,
    // macOS
    disable_endpointsecurity: b,
    disable_endpointsecurity_fim: b,
    enable_keyboard_events: b,
    enable_mouse_events: b,
    es_fim_mute_path_literal: s,
    es_fim_mute_path_prefix: s,
    disable_endpointsecurity_fim_events: b,
  }
}

/**
 * Why a value does not fit an osquery flag's type, or undefined when it fits. Numbers must be
 * JSON numbers (osquery's config parser does not convert strings), unsigned ones not negative.
 */
export function osqueryFlagTypeError(type: OsqueryFlagType, value: unknown): string | undefined {
  switch (type) {
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'must be true or false'
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string'
    case 'int':
      return Number.isInteger(value) ? undefined : 'must be an integer'
    case 'uint':
      return Number.isInteger(value) && Number(value) >= 0
        ? undefined
        : 'must be a non-negative integer'
  }
}
