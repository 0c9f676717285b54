import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { parse, stringify } from 'yaml'
import { z } from 'zod'
import { CliError } from './errors.js'

/** The keys `fleetctl config set/get` manage, as spelled in the file. */
export const CONFIG_KEYS = [
  'address',
  'email',
  'token',
  'tls-skip-verify',
  'rootca',
  'url-prefix',
] as const
export type ConfigKey = (typeof CONFIG_KEYS)[number]

export function isConfigKey(key: string): key is ConfigKey {
  return CONFIG_KEYS.some((k) => k === key)
}

const BoolLike = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((value) => value === 'true'),
])

/**
 * One context of `~/.fleet/config`. Keys we don't manage (`custom-headers`, anything newer) are
 * kept as they are, so a file shared with Fleet's own fleetctl survives a round trip.
 */
export const FleetContext = z.looseObject({
  address: z.string().nullish(),
  email: z.string().nullish(),
  token: z.string().nullish(),
  'tls-skip-verify': BoolLike.nullish(),
  rootca: z.string().nullish(),
  'url-prefix': z.string().nullish(),
})
export type FleetContext = z.infer<typeof FleetContext>

const ConfigFileSchema = z.looseObject({
  contexts: z.record(z.string(), FleetContext.nullable()).nullish(),
})
export type ConfigFile = z.infer<typeof ConfigFileSchema>

/** The config path: `--config`, else `$FLEETCTL_CONFIG`, else `~/.fleet/config`. */
export function defaultConfigPath(
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
): string {
  return env.FLEETCTL_CONFIG || join(homeDir, '.fleet', 'config')
}

/** Reads the config file; a missing file is an empty config, a malformed one an error. */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if (isNotFound(err)) {
      return { contexts: {} }
    }
    throw new CliError(`error reading config at ${path}`, { cause: err })
  }
  let raw: unknown
  try {
    raw = parse(text)
  } catch (err) {
    throw new CliError(`error reading config at ${path}`, { cause: err })
  }
  const parsed = ConfigFileSchema.safeParse(raw ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue ? issue.path.join('.') : ''
    throw new CliError(`error reading config at ${path}: ${where}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}

/**
 * Writes the config file with mode 0600 (its directory 0700), atomically: a crash leaves either
 * the old file or the new one, never half of one holding a token.
 */
export async function writeConfigFile(path: string, config: ConfigFile): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const tmp = join(dir, `.config.${process.pid}.${Date.now()}.tmp`)
  await writeFile(tmp, stringify(config), { mode: 0o600 })
  await chmod(tmp, 0o600)
  await rename(tmp, path)
}

/** The named context, or `undefined` when the file has none by that name. */
export async function readContext(path: string, name: string): Promise<FleetContext | undefined> {
  const config = await readConfigFile(path)
  return config.contexts?.[name] ?? undefined
}

/**
 * Merges `patch` into the named context (creating it) and writes the file back.
 * Returns whether the context had to be created.
 */
export async function updateContext(
  path: string,
  name: string,
  patch: Partial<FleetContext>,
): Promise<{ created: boolean }> {
  const config = await readConfigFile(path)
  const contexts = { ...config.contexts }
  const current = contexts[name]
  contexts[name] = { ...current, ...patch }
  await writeConfigFile(path, { ...config, contexts })
  return { created: current === undefined || current === null }
}

/** A context value as `config get` prints it: booleans as `true`/`false`, missing as empty. */
export function contextValue(context: FleetContext | undefined, key: ConfigKey): string {
  if (key === 'tls-skip-verify') {
    return String(context?.[key] ?? false)
  }
  return context?.[key] ?? ''
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT'
}
