import type { AgentOptions } from '@fleet/api'

/**
 * The osquery config a host gets: the agent options' `config`, or the platform override in
 * `overrides.platforms.<platform>` instead when one is set (Fleet replaces, it doesn't merge).
 */
export function osqueryConfigFor(options: AgentOptions, platform: string): Record<string, unknown> {
  const override = options.overrides?.platforms?.[platform]
  const config = override ?? options.config ?? {}
  return structuredClone(config)
}

/**
 * Adds scheduled-query packs to a config: packs already in the agent options stay, and the
 * server's (`Global`, `team-<id>`) take their names. Returns the same object.
 */
export function withPacks(
  config: Record<string, unknown>,
  packs: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!packs || Object.keys(packs).length === 0) {
    return config
  }
  const own = config.packs
  config.packs =
    typeof own === 'object' && own !== null && !Array.isArray(own) ? { ...own, ...packs } : packs
  return config
}

function optionNumber(options: Record<string, unknown>, name: string): number | undefined {
  const value = options[name]
  const n =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN
  return Number.isFinite(n) ? n : undefined
}

/** The check-in intervals a config sets (for online/offline), where it sets them. */
export function intervalsOf(config: Record<string, unknown>): {
  distributedInterval?: number
  configTlsRefresh?: number
  loggerTlsPeriod?: number
} {
  const options = config.options
  if (typeof options !== 'object' || options === null) {
    return {}
  }
  const record = Object.fromEntries(Object.entries(options))
  return {
    distributedInterval: optionNumber(record, 'distributed_interval'),
    configTlsRefresh:
      optionNumber(record, 'config_tls_refresh') ?? optionNumber(record, 'config_refresh'),
    loggerTlsPeriod: optionNumber(record, 'logger_tls_period'),
  }
}
