import type { OrbitInfo } from '../engine.js'
import { cols, type TableSpec } from '../table.js'

export type { OrbitInfo }

/** The environment variable orbit passes {@link OrbitInfo} in, as JSON. */
export const ORBIT_INFO_ENV = 'FLEETD_ORBIT_INFO'

/** {@link OrbitInfo} as orbit puts it in the engine's environment. */
export function orbitInfoEnv(info: OrbitInfo): Record<string, string> {
  return { [ORBIT_INFO_ENV]: JSON.stringify(info) }
}

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback
}

/** The orbit info in `env`, or undefined when the engine does not run under orbit (or it's garbled). */
export function orbitInfoFromEnv(env: NodeJS.ProcessEnv): OrbitInfo | undefined {
  const raw = env[ORBIT_INFO_ENV]
  if (!raw) {
    return undefined
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || !('version' in parsed)) {
    return undefined
  }
  const info: Record<string, unknown> = { ...parsed }
  const channels: Record<string, unknown> =
    typeof info.channels === 'object' && info.channels !== null ? { ...info.channels } : {}
  return {
    version: text(info.version),
    desktopVersion: text(info.desktopVersion),
    scriptsEnabled: info.scriptsEnabled === true,
    channels: {
      orbit: text(channels.orbit, 'stable'),
      osqueryd: text(channels.osqueryd, 'stable'),
      desktop: text(channels.desktop, 'stable'),
    },
    startedAt: typeof info.startedAt === 'number' ? info.startedAt : 0,
  }
}

/**
 * orbit_info: the supervising orbit's version, Fleet Desktop's, whether scripts run, update
 * channels and uptime; Fleet's `orbit_info` detail query reads it. It exists only when the engine
 * runs under orbit, as with osquery and Fleet's orbit extension.
 */
export const orbitInfoTable: TableSpec = {
  name: 'orbit_info',
  columns: cols(
    'version device_auth_token enrolled:INTEGER last_recorded_error orbit_channel ' +
      'osqueryd_channel desktop_channel desktop_version uptime:BIGINT scripts_enabled:INTEGER',
  ),
  available: (engine) => engine.orbit !== undefined,
  *rows({ engine, probe }) {
    const orbit = engine.orbit
    if (!orbit) {
      return
    }
    yield {
      version: orbit.version,
      // The token authenticates the My device page: never put it in query results.
      device_auth_token: '',
      enrolled: 1,
      last_recorded_error: '',
      orbit_channel: orbit.channels.orbit,
      osqueryd_channel: orbit.channels.osqueryd,
      desktop_channel: orbit.channels.desktop,
      desktop_version: orbit.desktopVersion,
      uptime: Math.max(0, Math.floor((probe.now() - orbit.startedAt) / 1000)),
      scripts_enabled: orbit.scriptsEnabled ? 1 : 0,
    }
  },
}
