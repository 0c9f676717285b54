import { createHash } from 'node:crypto'
import { sleep } from '../../transport/backoff.js'
import { parseConfig, type ParsedConfig } from './config.js'
import type { Flags } from './flags.js'
import { errorText } from '../../transport/remote-client.js'
import type { TlsSession } from './session.js'
import type { DaemonLog } from './status-log.js'

/** Where configs come from and what receives them. */
export interface ConfigLoaderOptions {
  session: TlsSession
  flags: Flags
  log: DaemonLog
  readText: (path: string) => string
  /** Applies a config that differs from the last one applied. */
  apply: (config: ParsedConfig) => void
}

/**
 * Fetches the config from --config_plugin (tls: POST --config_tls_endpoint; filesystem: read
 * --config_path) at start and then every --config_refresh seconds; after a failure it retries
 * sooner (--config_accelerated_refresh, or the refresh period if shorter). A config identical to
 * the applied one is not applied again, so schedule timers and splay are undisturbed.
 */
export class ConfigLoader {
  private appliedHash: string | undefined
  /** Fetches that succeeded (diagnostics, tests). */
  fetches = 0

  constructor(private readonly options: ConfigLoaderOptions) {}

  /** Whether any config has been applied (osquery_info.config_valid). */
  valid(): boolean {
    return this.appliedHash !== undefined
  }

  /** One fetch, applied if it changed; false when the fetch failed. */
  async refresh(signal?: AbortSignal): Promise<boolean> {
    const text = await this.fetch(signal)
    if (text === undefined) {
      return false
    }
    this.fetches++
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (err) {
      this.options.log.error(`Error parsing config JSON: ${errorText(err)}`)
      return false
    }
    const hash = createHash('sha256').update(text).digest('hex')
    if (hash === this.appliedHash) {
      return true
    }
    const parsed = parseConfig(value)
    for (const warning of parsed.warnings) {
      this.options.log.warn(warning)
    }
    this.options.apply(parsed)
    this.appliedHash = hash
    return true
  }

  /** The refresh loop, after the first fetch made by the caller; returns when `signal` aborts. */
  async run(signal: AbortSignal, lastOk: boolean): Promise<void> {
    let ok = lastOk
    while (!signal.aborted) {
      const refresh = this.options.flags.int('config_refresh')
      const accelerated = this.options.flags.int('config_accelerated_refresh', 300)
      if (ok && refresh <= 0) {
        return
      }
      const seconds = ok
        ? refresh
        : Math.min(...[accelerated, refresh].filter((s) => s > 0), Number.MAX_SAFE_INTEGER)
      await sleep(Math.max(1, seconds) * 1000, signal)
      if (signal.aborted) {
        return
      }
      try {
        ok = await this.refresh(signal)
      } catch (err) {
        this.options.log.error(`Config refresh failed: ${errorText(err)}`)
        ok = false
      }
    }
  }

  private async fetch(signal?: AbortSignal): Promise<string | undefined> {
    const { flags, log } = this.options
    const plugin = flags.get('config_plugin')
    if (plugin === 'filesystem') {
      const path = flags.get('config_path')
      try {
        return this.options.readText(path)
      } catch (err) {
        log.error(`Cannot read config file ${path}: ${errorText(err)}`)
        return undefined
      }
    }
    if (plugin !== 'tls') {
      log.error(`Config plugin ${plugin} is not available in fleetd`)
      return undefined
    }
    const attempts = Math.max(1, flags.int('config_tls_max_attempts', 3))
    const result = await this.options.session.post(flags.get('config_tls_endpoint'), {}, attempts, {
      signal,
    })
    if (result.kind !== 'ok') {
      log.warn(`Error retrieving config from ${flags.get('config_tls_endpoint')}: ${result.error}`)
      return undefined
    }
    return JSON.stringify(result.body)
  }
}
