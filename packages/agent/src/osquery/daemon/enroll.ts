import { hostname } from 'node:os'
import type { Engine } from '../engine/engine.js'
import { Backoff, sleep } from '../../transport/backoff.js'
import type { Flags } from './flags.js'
import { isRecord, postWithAttempts, type RemoteClient } from '../../transport/remote-client.js'
import type { DaemonLog } from './status-log.js'
import type { StateStore } from './state-store.js'

/** The tables whose first row osquery sends as `host_details` when enrolling. */
export const HOST_DETAIL_TABLES = ['os_version', 'osquery_info', 'system_info', 'platform_info']

/** `host_details`: each table's first row, or nothing for a table the engine cannot read. */
export function hostDetails(engine: Engine): Record<string, Record<string, string>> {
  const details: Record<string, Record<string, string>> = {}
  for (const table of HOST_DETAIL_TABLES) {
    const outcome = engine.query(`SELECT * FROM ${table}`)
    if (outcome.status === 0 && outcome.rows[0]) {
      details[table] = outcome.rows[0]
    }
  }
  return details
}

/** osquery's platform_type: its PlatformType bit mask as a decimal string. */
export function platformType(platform: string): string {
  switch (platform) {
    case 'windows':
      return '2'
    case 'darwin':
      return '21' // posix | bsd | osx
    case 'freebsd':
      return '37' // posix | bsd | freebsd
    default:
      return '9' // posix | linux
  }
}

/**
 * The enroll secret: the file named by --enroll_secret_path (trimmed), else the environment
 * variable named by --enroll_secret_env (orbit passes ENROLL_SECRET this way).
 */
export function readEnrollSecret(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  readText: (path: string) => string,
): string | undefined {
  const path = flags.get('enroll_secret_path')
  if (path) {
    try {
      return readText(path).trim()
    } catch {
      return undefined
    }
  }
  const name = flags.get('enroll_secret_env')
  return name ? env[name] : undefined
}

/**
 * The host identifier osquery sends and logs, per --host_identifier: hostname (default), uuid
 * (system_info.uuid), instance (kept instance id), ephemeral (new each start) or specified.
 */
export function resolveHostIdentifier(
  flags: Flags,
  engine: Engine,
  ids: { instanceId: string; ephemeralId: string },
): string {
  const fromSystemInfo = (column: string): string | undefined => {
    const outcome = engine.query(`SELECT ${column} FROM system_info`)
    const value = outcome.status === 0 ? outcome.rows[0]?.[column] : undefined
    return value || undefined
  }
  switch (flags.get('host_identifier')) {
    case 'uuid':
      return fromSystemInfo('uuid') ?? ids.instanceId
    case 'instance':
      return ids.instanceId
    case 'ephemeral':
      return ids.ephemeralId
    case 'specified':
      return flags.get('specified_identifier') || hostname()
    default:
      return fromSystemInfo('hostname') ?? hostname()
  }
}

/** What enrollment needs: the server, where the key lives, and the facts it sends. */
export interface NodeKeysOptions {
  client: RemoteClient
  store: StateStore
  flags: Flags
  log: DaemonLog
  /** The enroll secret, read at each attempt (it may be rotated on disk). */
  secret: () => string | undefined
  /** The enroll body's `host_identifier`, `platform_type` and `host_details`. */
  enrollFacts: () => {
    hostIdentifier: string
    platformType: string
    hostDetails: Record<string, Record<string, string>>
  }
  signal: AbortSignal
  random?: () => number
}

/**
 * The node key: read from --database_path, or obtained by enrolling (one enrollment at a time,
 * however many plugins ask). Enrollment retries --tls_enroll_max_attempts times (0 = forever)
 * with exponential back-off capped at --tls_enroll_max_interval.
 */
export class NodeKeys {
  private key: string | undefined
  private pending: Promise<string | undefined> | undefined

  constructor(private readonly options: NodeKeysOptions) {
    this.key = options.store.readNodeKey()
  }

  /** Whether a node key is held now (osquery_info.config_valid in the engine). */
  has(): boolean {
    return this.key !== undefined
  }

  /** The node key, enrolling first when there is none; undefined when enrollment failed. */
  get(): Promise<string | undefined> {
    if (this.options.flags.bool('disable_enrollment')) {
      return Promise.resolve('')
    }
    if (this.key !== undefined) {
      return Promise.resolve(this.key)
    }
    this.pending ??= this.enroll().finally(() => {
      this.pending = undefined
    })
    return this.pending
  }

  /** Forgets `key` (the server answered node_invalid) so the next get() enrolls again. */
  invalidate(key: string): void {
    if (this.key === key) {
      this.key = undefined
      this.options.store.clearNodeKey()
    }
  }

  private async enroll(): Promise<string | undefined> {
    const { flags, log, signal } = this.options
    const endpoint = flags.get('enroll_tls_endpoint')
    if (!endpoint) {
      log.error('Cannot enroll: --enroll_tls_endpoint is not set')
      return undefined
    }
    const maxAttempts = flags.int('tls_enroll_max_attempts')
    const backoff = new Backoff(
      () => ({ baseMs: 1000, maxMs: Math.max(1, flags.int('tls_enroll_max_interval')) * 1000 }),
      this.options.random,
    )
    for (let attempt = 1; maxAttempts === 0 || attempt <= maxAttempts; attempt++) {
      if (signal.aborted) {
        return undefined
      }
      const key = await this.requestKey(endpoint)
      if (key) {
        this.options.store.writeNodeKey(key)
        this.key = key
        log.info('Enrolled: node key stored')
        return key
      }
      if (maxAttempts === 0 || attempt < maxAttempts) {
        await sleep(backoff.fail(), signal)
      }
    }
    log.error(`Failed enrollment after ${maxAttempts} attempts`)
    return undefined
  }

  private async requestKey(endpoint: string): Promise<string | undefined> {
    const { log } = this.options
    const secret = this.options.secret()
    if (secret === undefined || secret === '') {
      log.error('Cannot read enroll secret (--enroll_secret_path or --enroll_secret_env)')
      return undefined
    }
    const facts = this.options.enrollFacts()
    const result = await postWithAttempts(
      this.options.client,
      endpoint,
      {
        enroll_secret: secret,
        host_identifier: facts.hostIdentifier,
        platform_type: facts.platformType,
        host_details: facts.hostDetails,
      },
      1,
      { signal: this.options.signal },
    )
    if (result.kind === 'ok' && isRecord(result.body)) {
      const key = result.body.node_key
      if (typeof key === 'string' && key !== '') {
        return key
      }
      log.error('Failed enrollment request: response has no node_key')
      return undefined
    }
    const reason = result.kind === 'ok' ? 'response is not an object' : result.error
    log.error(`Failed enrollment request to ${endpoint}: ${reason}`)
    return undefined
  }
}
