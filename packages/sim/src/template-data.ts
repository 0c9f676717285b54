import type { HostIdentity } from './host-identity.js'
import { hostSoftware, hostUsers, type InventoryOptions, type NamedVersion } from './inventory.js'

/** What every host's template data shares. */
export interface TemplateEnv {
  enrollSecret: string
  configIntervalMs: number
  queryIntervalMs: number
  inventory: InventoryOptions
  vulnerableSoftware: readonly NamedVersion[]
}

/** A Go `time.Duration` as templates use it: `.ConfigInterval.Seconds`. */
function duration(ms: number): { Seconds: () => number } {
  return { Seconds: () => ms / 1000 }
}

/**
 * `.` for osquery-perf's templates, with the Go field names they read. The user and software
 * lists are getters, built only when a template ranges over them (the users and software detail
 * queries), so the label queries that arrive far more often cost nothing extra.
 */
export function templateData(
  host: HostIdentity,
  env: TemplateEnv,
  nowMs: number,
): Record<string, unknown> {
  return {
    EnrollSecret: env.enrollSecret,
    UUID: host.uuid,
    CachedString: (key: unknown): string => cachedString(host, key),
    ConfigInterval: duration(env.configIntervalMs),
    QueryInterval: duration(env.queryIntervalMs),
    get HostUsersMacOS() {
      return hostUsers(host, env.inventory)
    },
    get SoftwareMacOS() {
      return hostSoftware(host, env.inventory, env.vulnerableSoftware, nowMs)
    },
  }
}

/** osquery-perf's per-host cached strings; only `hostname` is used by the fixtures. */
function cachedString(host: HostIdentity, key: unknown): string {
  switch (key) {
    case 'hostname':
      return host.hostname
    case 'hardware_serial':
      return host.serial
    default:
      return `${String(key)}-${host.uuid.slice(0, 8).toLowerCase()}`
  }
}
