import { errorMessage } from '../platform/errors/index.js'
import { readFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import type { DbTarget } from '../platform/db/index.js'
import { ConfigSchema, type Config } from './schema.js'

/** A bad configuration value: `key` is the dotted config key, shown with its env and flag names. */
export class ConfigError extends Error {
  readonly key: string
  constructor(key: string, reason: string) {
    super(
      key ? `config ${key} (${envName(key)}, --${flagName(key)}): ${reason}` : `config: ${reason}`,
    )
    this.key = key
  }
}

export interface ConfigKey {
  /** `mysql.address` */
  path: string
  env: string
  flag: string
}

export const envName = (path: string) => `FLEET_${path.replace(/\./g, '_').toUpperCase()}`
export const flagName = (path: string) => path.replace(/\./g, '_')

function innerObject(schema: z.ZodType): z.ZodObject | undefined {
  let current: unknown = schema
  for (let depth = 0; depth < 5; depth++) {
    if (current instanceof z.ZodObject) {
      return current
    }
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault) {
      current = current.unwrap()
      continue
    }
    return undefined
  }
  return undefined
}

/** Every leaf key of the config schema, with its env var and flag names. */
export function configKeys(): ConfigKey[] {
  const keys: ConfigKey[] = []
  const walk = (object: z.ZodObject, prefix: string) => {
    for (const [name, child] of Object.entries(object.shape)) {
      const path = prefix ? `${prefix}.${name}` : name
      const nested = innerObject(child as z.ZodType)
      if (nested) {
        walk(nested, path)
      } else {
        keys.push({ path, env: envName(path), flag: flagName(path) })
      }
    }
  }
  walk(ConfigSchema, '')
  return keys
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.')
  let node = target
  for (const part of parts.slice(0, -1)) {
    const next = node[part]
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>
    } else {
      const created: Record<string, unknown> = {}
      node[part] = created
      node = created
    }
  }
  node[parts[parts.length - 1] ?? path] = value
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError('', `cannot read config file ${file}: ${errorMessage(err)}`)
  }
  let parsed: unknown
  try {
    parsed = parseYaml(text)
  } catch (err) {
    throw new ConfigError('', `config file ${file} is not valid YAML: ${errorMessage(err)}`)
  }
  if (parsed === null || parsed === undefined) {
    return {}
  }
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('', `config file ${file} must be a YAML mapping`)
  }
  return parsed as Record<string, unknown>
}

export interface ConfigSources {
  /** YAML config file path, if any. */
  file?: string
  env: Readonly<Record<string, string | undefined>>
  /** Flag values keyed by dotted config key. */
  flags: Readonly<Record<string, string>>
}

/**
 * Builds the frozen config: defaults < YAML file < `FLEET_*` env < flags.
 * Throws ConfigError naming the first bad key.
 */
export function loadConfig(sources: ConfigSources): Config {
  const raw = sources.file ? readConfigFile(sources.file) : {}
  for (const key of configKeys()) {
    const fromEnv = sources.env[key.env]
    if (fromEnv !== undefined && fromEnv !== '') {
      setPath(raw, key.path, fromEnv)
    }
    const fromFlag = sources.flags[key.path]
    if (fromFlag !== undefined) {
      setPath(raw, key.path, fromFlag)
    }
  }
  const result = ConfigSchema.safeParse(raw)
  if (!result.success) {
    const issue = result.error.issues[0]
    const key = issue?.path.join('.') ?? ''
    if (issue?.code === 'unrecognized_keys') {
      const unknown = issue.keys.map((k) => (key ? `${key}.${k}` : k)).join(', ')
      throw new ConfigError('', `unknown key ${unknown}`)
    }
    throw new ConfigError(key, issue?.message ?? 'invalid value')
  }
  const config = result.data
  if (config.mysql.address && config.postgres.address) {
    throw new ConfigError('postgres.address', 'set only one of mysql.address and postgres.address')
  }
  if (config.server.tls && Boolean(config.server.cert) !== Boolean(config.server.key)) {
    throw new ConfigError(
      config.server.cert ? 'server.key' : 'server.cert',
      'set both server.cert and server.key, or neither',
    )
  }
  return deepFreeze(config)
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) {
      deepFreeze(child)
    }
    Object.freeze(value)
  }
  return value
}

function splitAddress(
  key: string,
  address: string,
  defaultPort: number,
): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(address)
  const port = match?.[3] ? Number(match[3]) : defaultPort
  if (!match || port < 1 || port > 65535) {
    throw new ConfigError(key, `expected host:port, got "${address}"`)
  }
  return { host: match[1] ?? match[2] ?? '', port }
}

/** The database the config points at: MySQL or PostgreSQL when given an address, else SQLite. */
export function storageTarget(config: Config): DbTarget {
  if (config.mysql.address) {
    const { host, port } = splitAddress('mysql.address', config.mysql.address, 3306)
    return {
      dialect: 'mysql',
      host,
      port,
      user: config.mysql.username,
      password: config.mysql.password,
      database: config.mysql.database,
      maxConnections: config.mysql.max_open_conns,
    }
  }
  if (config.postgres.address) {
    const { host, port } = splitAddress('postgres.address', config.postgres.address, 5432)
    return {
      dialect: 'postgres',
      host,
      port,
      user: config.postgres.username,
      password: config.postgres.password,
      database: config.postgres.database,
      ssl: config.postgres.sslmode !== 'disable',
      maxConnections: config.postgres.max_open_conns,
    }
  }
  const path = config.sqlite.path || join(config.data_dir, 'fleet.db')
  return { dialect: 'sqlite', path: isAbsolute(path) ? path : join(process.cwd(), path) }
}
