import {
  OSQUERY_COMMAND_LINE_FLAGS,
  OSQUERY_RUNTIME_OPTIONS,
  type OsqueryFlagType,
} from '@fleet/api'

/** One flag osqueryd knows: its value type, osquery's default, and whether the config may set it. */
export interface FlagSpec {
  type: OsqueryFlagType
  /** osquery's default, in the string form `osquery_flags.default_value` shows. */
  default: string
  /** True when `options` in the config may change it; false for start-up (CLI-only) flags. */
  runtime: boolean
}

/**
 * Flags the daemon reads, with osquery 5.x defaults (POSIX paths), from osquery's CLI flag
 * reference and sources (plugins/logger/tls_logger.cpp, buffered.cpp, dispatcher/*). A flag not
 * listed here but known to @fleet/api's table defaults to "", "false" or "0".
 */
const DEFAULTS: Readonly<Record<string, string>> = {
  config_plugin: 'filesystem',
  config_path: '/etc/osquery/osquery.conf',
  config_refresh: '0',
  config_accelerated_refresh: '300',
  config_tls_max_attempts: '3',
  pidfile: '/var/osquery/osqueryd.pidfile',
  database_path: '/var/osquery/osquery.db',
  extensions_socket: '/var/osquery/osquery.em',
  extensions_autoload: '/etc/osquery/extensions.load',
  extensions_timeout: '3',
  extensions_interval: '3',
  extensions_default_index: 'true',
  utc: 'true',
  watchdog_delay: '60',
  watchdog_forced_shutdown_delay: '4',
  tls_session_reuse: 'true',
  tls_session_timeout: '3600',
  tls_enroll_max_attempts: '12',
  tls_enroll_max_interval: '600',
  logger_tls_period: '4',
  logger_tls_max_lines: '1024',
  logger_tls_max_linesize: '1048576',
  logger_tls_backoff_max: '3600',
  distributed_plugin: 'tls',
  disable_distributed: 'true',
  distributed_interval: '60',
  distributed_tls_max_attempts: '3',
  distributed_denylist_duration: '86400',
  disable_carver: 'true',
  carver_disable_function: 'true',
  carver_block_size: '8192',
  carver_expiry: '86400',
  schedule_splay_percent: '10',
  schedule_max_drift: '60',
  schedule_default_interval: '3600',
  schedule_reload: '300',
  pack_refresh_interval: '3600',
  pack_delimiter: '_',
  read_max: '52428800',
  value_max: '512',
  hash_cache_max: '500',
  hash_delay: '20',
  disable_events: 'true',
  events_expiry: '3600',
  events_optimize: 'true',
  events_max: '50000',
  logger_plugin: 'filesystem',
  logger_event_type: 'true',
  logger_stderr: 'true',
  logger_path: '/var/log/osquery/',
  logger_mode: '0640',
  logger_rotate_size: '26214400',
  logger_rotate_max_files: '25',
  buffered_log_max: '1000000',
  host_identifier: 'hostname',
  augeas_lenses: '/opt/osquery/share/osquery/lenses',
  docker_socket: '/var/run/docker.sock',
  numeric_monitoring_plugins: 'filesystem',
  numeric_monitoring_pre_aggregation_time: '60',
  watchdog_level: '0',
  stderrthreshold: '0',
  thrift_timeout: '1',
  nullvalue: '',
}

/** Flags osquery has that @fleet/api's table leaves out, and fleetd's own. */
const EXTRA_FLAGS: Readonly<Record<string, FlagSpec>> = {
  flagfile: { type: 'string', default: '', runtime: false },
  tls_dump: { type: 'bool', default: 'false', runtime: false },
  disable_decorators: { type: 'bool', default: 'false', runtime: true },
  logger_tls_max: { type: 'uint', default: '1048576', runtime: true },
  log_numerics_as_numbers: { type: 'bool', default: 'false', runtime: true },
  config_tls_refresh: { type: 'uint', default: '0', runtime: false },
  specified_identifier: { type: 'string', default: '', runtime: true },
  help: { type: 'bool', default: 'false', runtime: false },
  version: { type: 'bool', default: 'false', runtime: false },
  /** fleetd only: skip TLS verification (orbit passes it only when run with --insecure). */
  tls_insecure: { type: 'bool', default: 'false', runtime: false },
  /** fleetd only: cap on the on-disk log buffer's bytes, beside osquery's line cap. */
  fleetd_buffered_log_max_bytes: { type: 'uint', default: '104857600', runtime: true },
}

/** Deprecated names osquery still accepts, mapped to the flag they set. */
export const FLAG_ALIASES: Readonly<Record<string, string>> = {
  logger_tls_max: 'logger_tls_max_linesize',
  log_numerics_as_numbers: 'logger_numerics',
  config_tls_refresh: 'config_refresh',
}

function zeroValue(type: OsqueryFlagType): string {
  switch (type) {
    case 'bool':
      return 'false'
    case 'int':
    case 'uint':
      return '0'
    case 'string':
      return ''
  }
}

/** The spec of a known flag (osquery's or fleetd's), or undefined. Names use underscores. */
export function flagSpec(name: string): FlagSpec | undefined {
  const extra = EXTRA_FLAGS[name]
  if (extra) {
    return extra
  }
  const type = OSQUERY_COMMAND_LINE_FLAGS[name]
  if (!type) {
    return undefined
  }
  return {
    type,
    default: DEFAULTS[name] ?? zeroValue(type),
    runtime: name in OSQUERY_RUNTIME_OPTIONS,
  }
}

/** Every known flag name, sorted (for `--help` and the engine's osquery_flags table). */
export function knownFlagNames(): string[] {
  return [...new Set([...Object.keys(OSQUERY_COMMAND_LINE_FLAGS), ...Object.keys(EXTRA_FLAGS)])]
    .filter((name) => !(name in FLAG_ALIASES))
    .sort()
}
