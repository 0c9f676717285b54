import { existsSync } from 'node:fs'
import type { RootDir } from './root-dir.js'

/** The environment variable osquery reads the enroll secret from (`--enroll_secret_env`). */
export const ENROLL_SECRET_ENV = 'ENROLL_SECRET'

export interface OsqueryArgsInput {
  dir: RootDir
  /** `host` or `host:port` of the Fleet server. */
  tlsHostname: string
  /** Path prefix of the Fleet server URL ('' for none). */
  pathPrefix: string
  fleetCertificate?: string
  /** Skip TLS verification: only fleetd's own engine accepts `--tls_insecure`. */
  insecure: boolean
  ownEngine: boolean
  debug: boolean
  /** Anything after `--` on orbit's command line. */
  extra: readonly string[]
}

/**
 * osqueryd's flags, in the order Fleet's orbit passes them (later flags win): files in the root
 * directory, the enroll secret by environment, Fleet's TLS endpoints, TLS trust, debug, the
 * server's flagfile, then what nothing may override (identity and database), then extra args.
 */
export function osqueryArgs(input: OsqueryArgsInput): string[] {
  const { dir, pathPrefix: p } = input
  const args = [
    `--pidfile=${dir.osqueryPid}`,
    `--extensions_socket=${dir.extensionsSocket}`,
    `--logger_path=${dir.osqueryLogs}`,
    `--enroll_secret_env=${ENROLL_SECRET_ENV}`,
    '--host_identifier=uuid',
    `--tls_hostname=${input.tlsHostname}`,
    `--enroll_tls_endpoint=${p}/api/v1/osquery/enroll`,
    '--config_plugin=tls',
    `--config_tls_endpoint=${p}/api/v1/osquery/config`,
    '--config_refresh=60',
    '--disable_distributed=false',
    '--distributed_plugin=tls',
    '--distributed_tls_max_attempts=10',
    `--distributed_tls_read_endpoint=${p}/api/v1/osquery/distributed/read`,
    `--distributed_tls_write_endpoint=${p}/api/v1/osquery/distributed/write`,
    '--logger_plugin=tls',
    `--logger_tls_endpoint=${p}/api/v1/osquery/log`,
    '--disable_carver=false',
    '--carver_disable_function=false',
    `--carver_start_endpoint=${p}/api/v1/osquery/carve/begin`,
    `--carver_continue_endpoint=${p}/api/v1/osquery/carve/block`,
    '--carver_block_size=2000000',
  ]
  if (input.fleetCertificate) {
    args.push(`--tls_server_certs=${input.fleetCertificate}`)
  }
  if (input.insecure && input.ownEngine) {
    args.push('--tls_insecure')
  }
  args.push('--force')
  if (input.debug) {
    args.push('--verbose', '--tls_dump')
  }
  if (existsSync(dir.osqueryFlags)) {
    args.push(`--flagfile=${dir.osqueryFlags}`)
  }
  args.push('--host_identifier=uuid', `--database_path=${dir.osqueryDb}`, ...input.extra)
  return args
}

/**
 * The flagfile text for the server's `command_line_startup_flags` (`--name=value` per line,
 * sorted so an unchanged set writes the same file).
 */
export function flagfileText(flags: Readonly<Record<string, string | number | boolean>>): string {
  return Object.keys(flags)
    .sort()
    .map((name) => `--${name.replace(/^-+/, '')}=${String(flags[name])}`)
    .join('\n')
    .concat(Object.keys(flags).length > 0 ? '\n' : '')
}
