import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { backoffDelay, sleep } from '../transport/backoff.js'
import { createRemoteClient } from '../transport/remote-client.js'
import { AGENT_VERSION } from '../version.js'
import { currentDeviceToken, saveDeviceToken } from './device-token.js'
import { myDeviceUrl } from './desktop.js'
import { readHostIdentity, type HostIdentity } from './host-identity.js'
import { orbitApi, type OrbitApi, type OrbitConfigResponse } from './orbit-api.js'
import type { OrbitLog } from './orbit-log.js'
import { ENROLL_SECRET_ENV, flagfileText, osqueryArgs } from './osquery-args.js'
import { ensureRootDir, readSecretFile, removeFile, rootDir, writeSecretFile } from './root-dir.js'
import { orbitInfoEnv, type OrbitInfo } from '../osquery/engine/tables/orbit-info.js'
import { killStaleOsqueryd } from './stale-process.js'
import { createSupervisor, type Supervisor } from './supervisor.js'

export interface OrbitOptions {
  fleetUrl: URL
  enrollSecret: string
  /** PEM file with the CA (or self-signed certificate) the server's certificate chains to. */
  fleetCertificate?: string
  insecure: boolean
  rootDir: string
  /** A real osqueryd to supervise instead of fleetd's own engine. */
  osquerydPath?: string
  debug: boolean
  configIntervalMs: number
  /** First wait after a failed enrollment; doubles up to 5 minutes. */
  enrollRetryMs: number
  /** Extra osqueryd arguments (after `--`). */
  extra: string[]
  /**
   * Fleet Desktop's part: called with the My device URL each time the server has registered a
   * device token (at start and after every rotation).
   */
  onMyDeviceUrl?: (url: string) => void
}

/**
 * What fleetd's engine shows in orbit_info (Fleet's detail query reads it for the host's
 * orbit_version): this fleetd, which also keeps the My device token as Fleet Desktop does, and
 * runs no scripts.
 */
function orbitInfo(startedAt: number): OrbitInfo {
  return {
    version: AGENT_VERSION,
    desktopVersion: AGENT_VERSION,
    scriptsEnabled: false,
    channels: { orbit: 'stable', osqueryd: 'stable', desktop: 'stable' },
    startedAt,
  }
}

/** fleetd's own entry point, to start its engine as `fleetd osqueryd` (dist/orbit → bin). */
const FLEETD_BIN = fileURLToPath(new URL('../../bin/fleetd.js', import.meta.url))

/**
 * Orbit: enrolls this host with the orbit API, keeps its node key (0600) and re-enrolls when the
 * server refuses it, polls the orbit config, keeps the "My device" token fresh, and supervises
 * the osquery engine (fleetd's, or a real osqueryd). Resolves 0 once `signal` aborts and the
 * engine has stopped.
 */
export async function runOrbit(
  options: OrbitOptions,
  log: OrbitLog,
  signal: AbortSignal,
): Promise<number> {
  const dir = rootDir(options.rootDir)
  ensureRootDir(dir)
  writeSecretFile(dir.fleetUrl, options.fleetUrl.href)
  const identity = readHostIdentity()
  log.info('fleetd starting', {
    version: AGENT_VERSION,
    fleet: options.fleetUrl.origin,
    root: dir.root,
    hostname: identity.hostname,
    uuid: identity.hardware_uuid,
  })
  const client = createRemoteClient({
    hostname: options.fleetUrl.host,
    ...(options.fleetCertificate && { ca: readFileSync(options.fleetCertificate, 'utf8') }),
    insecure: options.insecure,
    userAgent: `fleetd/${AGENT_VERSION}`,
  })
  const pathPrefix = options.fleetUrl.pathname.replace(/\/+$/, '')
  const api = orbitApi(client, pathPrefix)
  if (options.insecure && options.osquerydPath) {
    log.warn(
      'osqueryd has no flag to skip TLS verification: give it the server certificate with --fleet-certificate',
    )
  }
  const stale = killStaleOsqueryd(dir.osqueryPid)
  if (stale !== undefined) {
    log.warn('killed a stale osqueryd', { pid: stale })
  }
  const supervisor = createSupervisor(
    {
      name: 'osqueryd',
      command: options.osquerydPath ?? process.execPath,
      args: () => {
        const args = osqueryArgs({
          dir,
          tlsHostname: options.fleetUrl.host,
          pathPrefix,
          fleetCertificate: options.fleetCertificate,
          insecure: options.insecure,
          ownEngine: options.osquerydPath === undefined,
          debug: options.debug,
          extra: options.extra,
        })
        return options.osquerydPath ? args : [FLEETD_BIN, 'osqueryd', ...args]
      },
      env: {
        ...process.env,
        [ENROLL_SECRET_ENV]: options.enrollSecret,
        ...orbitInfoEnv(orbitInfo(Date.now())),
      },
    },
    log,
  )
  const state: LoopState = { api, log, identity, options, dir, supervisor, signal }
  try {
    let nodeKey = await enroll(state)
    if (nodeKey === undefined) {
      return 0
    }
    supervisor.start()
    let failures = 0
    while (!signal.aborted) {
      const outcome = await checkIn(state, nodeKey)
      if (outcome === 'reenroll') {
        removeFile(dir.nodeKey)
        state.registeredToken = undefined
        nodeKey = await enroll(state)
        if (nodeKey === undefined) {
          break
        }
        continue
      }
      failures = outcome === 'ok' ? 0 : failures + 1
      const wait =
        failures === 0
          ? options.configIntervalMs
          : backoffDelay(failures - 1, { baseMs: 5000, maxMs: options.configIntervalMs })
      await sleep(wait, signal)
    }
    return 0
  } finally {
    log.info('fleetd stopping')
    await supervisor.stop()
    await client.close()
  }
}

interface LoopState {
  api: OrbitApi
  log: OrbitLog
  identity: HostIdentity
  options: OrbitOptions
  dir: ReturnType<typeof rootDir>
  supervisor: Supervisor
  signal: AbortSignal
  /** The device token the server has from this process (registered once, then on rotation). */
  registeredToken?: string
}

/** The stored node key, or a new one from the orbit API (retried with back-off until stopped). */
async function enroll(state: LoopState): Promise<string | undefined> {
  const stored = readSecretFile(state.dir.nodeKey)
  if (stored !== undefined) {
    return stored
  }
  for (let attempt = 0; !state.signal.aborted; attempt++) {
    const result = await state.api.enroll(state.options.enrollSecret, state.identity)
    if (result.kind === 'ok') {
      writeSecretFile(state.dir.nodeKey, result.value)
      state.log.info('enrolled with the orbit API')
      return result.value
    }
    const wait = backoffDelay(attempt, {
      baseMs: state.options.enrollRetryMs,
      maxMs: 300_000,
      jitter: 0.2,
    })
    state.log.error(
      result.kind === 'unauthorized'
        ? 'enroll refused: the enroll secret is not valid on this server'
        : 'enroll failed',
      { error: result.error, retryInMs: wait },
    )
    await sleep(wait, state.signal)
  }
  return undefined
}

/** One config poll and device-token check: `reenroll` when the server refused the node key. */
async function checkIn(state: LoopState, nodeKey: string): Promise<'ok' | 'reenroll' | 'failed'> {
  const config = await state.api.config(nodeKey)
  if (config.kind === 'unauthorized') {
    state.log.warn('orbit node key refused; enrolling again')
    return 'reenroll'
  }
  if (config.kind !== 'ok') {
    state.log.warn('orbit config failed; retrying', { error: config.error })
    return 'failed'
  }
  await applyStartupFlags(state, config.value)
  const { token, rotated } = currentDeviceToken(state.dir.deviceToken, Date.now())
  if (token === state.registeredToken) {
    return 'ok'
  }
  const registered = await state.api.deviceToken(nodeKey, token)
  if (registered.kind === 'unauthorized') {
    return 'reenroll'
  }
  if (registered.kind !== 'ok') {
    state.log.warn('device token registration failed', { error: registered.error })
    return 'failed'
  }
  state.registeredToken = token
  if (rotated) {
    saveDeviceToken(state.dir.deviceToken, token)
    state.log.info('device token rotated', {
      myDevice: `${state.options.fleetUrl.origin}/device/<token in ${state.dir.deviceToken}>`,
    })
  }
  state.options.onMyDeviceUrl?.(myDeviceUrl(state.options.fleetUrl, token))
  return 'ok'
}

/** Writes the server's command_line_startup_flags to osquery.flags; restarts osquery on change. */
async function applyStartupFlags(state: LoopState, config: OrbitConfigResponse): Promise<void> {
  const text = flagfileText(config.command_line_startup_flags ?? {})
  const path = state.dir.osqueryFlags
  const before = existsSync(path) ? readFileSync(path, 'utf8') : ''
  if (text === before) {
    return
  }
  if (text === '') {
    removeFile(path)
  } else {
    writeFileSync(path, text, { mode: 0o600 })
  }
  await state.supervisor.restart('command_line_startup_flags changed')
}
