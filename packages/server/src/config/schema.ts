import { homedir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { parseDuration } from './duration.js'

/** Text from env or flags becomes a boolean only when it clearly says so. */
function parseBool(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value
  }
  const text = value.trim().toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(text)) {
    return true
  }
  if (['false', '0', 'no', 'off'].includes(text)) {
    return false
  }
  return value
}

function parseInt10(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value
}

const str = (fallback: string) => z.string().default(fallback)
const bool = (fallback: boolean) =>
  z.preprocess(parseBool, z.boolean({ error: 'expected true or false' })).default(fallback)
const int = (fallback: number, min: number, max: number) =>
  z
    .preprocess(parseInt10, z.number({ error: 'expected an integer' }).int().min(min).max(max))
    .default(fallback)
const duration = (fallback: string) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .transform((value, ctx) => {
      const ms = typeof value === 'number' ? value : parseDuration(value)
      if (ms === undefined || ms < 0) {
        ctx.addIssue({ code: 'custom', message: `expected a duration like "1h" or "30m"` })
        return z.NEVER
      }
      return ms
    })
const address = (fallback: string) =>
  z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]*):\d{1,5}$/, 'expected host:port')
    .default(fallback)

/** Where osquery's result and status logs go (Fleet's plugin names). */
export const LOG_PLUGINS = ['filesystem', 'stdout', 'webhook'] as const

/** The default data directory: the embedded database and the generated certificate live here. */
export const DEFAULT_DATA_DIR = join(homedir(), '.fleet', 'server')

/**
 * Every server setting. Keys follow Fleet's (`mysql.address` ↔ `FLEET_MYSQL_ADDRESS` ↔
 * `--mysql_address`); `data_dir`, `sqlite.*`, `postgres.*` and `auth.scrypt_cost` are ours.
 */
export const ConfigSchema = z
  .object({
    data_dir: str(DEFAULT_DATA_DIR),
    server: z
      .object({
        address: address('0.0.0.0:8080'),
        tls: bool(true),
        cert: str(''),
        key: str(''),
        max_body_bytes: int(4 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
        trust_proxy: bool(false),
        /**
         * Fleet's FLEET_SERVER_PRIVATE_KEY: encrypts secrets at rest (MDM keys). The embedded
         * `fleet serve` default generates one into the data directory.
         */
        private_key: z
          .string()
          .refine((key) => key === '' || key.length >= 32, 'must be at least 32 characters')
          .default(''),
      })
      .strict()
      .prefault({}),
    sqlite: z
      .object({ path: str('') })
      .strict()
      .prefault({}),
    mysql: z
      .object({
        address: str(''),
        username: str('fleet'),
        password: str(''),
        database: str('fleet'),
        max_open_conns: int(50, 1, 10_000),
      })
      .strict()
      .prefault({}),
    postgres: z
      .object({
        address: str(''),
        username: str('fleet'),
        password: str(''),
        database: str('fleet'),
        sslmode: z.enum(['disable', 'require', 'verify-full']).default('disable'),
        max_open_conns: int(50, 1, 10_000),
      })
      .strict()
      .prefault({}),
    redis: z
      .object({
        address: str(''),
        password: str(''),
        database: int(0, 0, 1024),
        use_tls: bool(false),
      })
      .strict()
      .prefault({}),
    logging: z
      .object({ debug: bool(false), json: bool(false) })
      .strict()
      .prefault({}),
    session: z
      .object({ duration: duration('120h') })
      .strict()
      .prefault({}),
    osquery: z
      .object({
        host_identifier: z.enum(['provided', 'instance', 'uuid', 'hostname']).default('provided'),
        detail_update_interval: duration('1h'),
        label_update_interval: duration('1h'),
        policy_update_interval: duration('1h'),
        max_jitter_percent: int(10, 0, 100),
        seen_time_flush_interval: duration('5s'),
        result_log_plugin: z.enum(LOG_PLUGINS).default('filesystem'),
        status_log_plugin: z.enum(LOG_PLUGINS).default('filesystem'),
        log_buffer_lines: int(100_000, 1_000, 10_000_000),
        max_concurrent_large_bodies: int(8, 1, 10_000),
      })
      .strict()
      .prefault({}),
    filesystem: z
      .object({
        result_log_file: str(''),
        status_log_file: str(''),
        enable_log_rotation: bool(false),
        enable_log_compression: bool(false),
        max_size: int(500, 1, 1_000_000),
        max_age: int(28, 0, 36_500),
        max_backups: int(3, 0, 10_000),
      })
      .strict()
      .prefault({}),
    webhook: z
      .object({ result_url: str(''), status_url: str('') })
      .strict()
      .prefault({}),
    live_query: z
      .object({ rest_period: duration('25s') })
      .strict()
      .prefault({}),
    mdm: z
      .object({
        apple_apns_url: z.url({ protocol: /^https$/ }).default('https://api.push.apple.com'),
        apple_apns_concurrency: int(5, 1, 1000),
        /** A profile unanswered (pending) or unconfirmed (verifying) this long is marked failed. */
        apple_profile_pending_timeout: duration('24h'),
        /** Apple's DEP API (ABM device sync); http only for a local fake in tests. */
        apple_business_manager_url: z
          .url({ protocol: /^https?$/ })
          .default('https://mdmenrollment.apple.com'),
      })
      .strict()
      .prefault({}),
    auth: z
      .object({
        scrypt_cost: int(15, 10, 20),
        login_rate_per_minute: int(10, 1, 10_000),
      })
      .strict()
      .prefault({}),
  })
  .strict()

export type Config = Readonly<z.infer<typeof ConfigSchema>>
