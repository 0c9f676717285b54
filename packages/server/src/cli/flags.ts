import { configKeys } from '../config/index.js'

/**
 * Accepts Fleet's underscore flags (`--mysql_address`) and dashed ones (`--mysql-address`) for
 * every config key; returns argv with the dashed spelling normalized to underscores.
 */
export function normalizeConfigFlags(argv: readonly string[]): string[] {
  const known = new Map(configKeys().map((key) => [key.flag.replace(/_/g, '-'), key.flag]))
  return argv.map((arg) => {
    const match = /^--([a-z0-9-]+)(=.*)?$/.exec(arg)
    const flag = match?.[1] && known.get(match[1])
    return flag ? `--${flag}${match[2] ?? ''}` : arg
  })
}

/** Picks config-key flags out of commander's parsed options (attribute names equal the flag names). */
export function configFlagValues(options: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {}
  for (const key of configKeys()) {
    const value = options[key.flag]
    if (typeof value === 'string') {
      values[key.path] = value
    }
  }
  return values
}
