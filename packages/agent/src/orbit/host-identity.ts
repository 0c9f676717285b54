import { randomUUID } from 'node:crypto'
import { AGENT_VERSION } from '../version.js'
import type { Engine, Row } from '../osquery/engine/index.js'
import { createEngine } from '../osquery/engine/index.js'

/** What orbit enrolls with: the same identity osquery reports, so the server joins the two. */
export interface HostIdentity {
  hardware_uuid: string
  hardware_serial: string
  hostname: string
  computer_name: string
  hardware_model: string
  platform: string
  platform_like: string
}

function firstRow(engine: Engine, sql: string): Row {
  const outcome = engine.query(sql)
  if (outcome.status !== 0) {
    throw new Error(`reading host identity (${sql}): ${outcome.error}`)
  }
  return outcome.rows[0] ?? {}
}

/**
 * Reads the host's identity with fleetd's own engine (Fleet's orbit runs osqueryd once for the
 * same tables): hardware uuid/serial/model and names from system_info, platform from os_version.
 */
export function readHostIdentity(engine?: Engine): HostIdentity {
  const own =
    engine ??
    createEngine({
      startTime: Math.floor(Date.now() / 1000),
      instanceId: randomUUID(),
      version: AGENT_VERSION,
      flags: new Map(),
      schedule: () => [],
      configValid: () => false,
    })
  try {
    const system = firstRow(
      own,
      'SELECT uuid, hardware_serial, hostname, computer_name, hardware_model FROM system_info',
    )
    const os = firstRow(own, 'SELECT platform, platform_like FROM os_version')
    return {
      hardware_uuid: system.uuid ?? '',
      hardware_serial: system.hardware_serial ?? '',
      hostname: system.hostname ?? '',
      computer_name: system.computer_name ?? '',
      hardware_model: system.hardware_model ?? '',
      platform: os.platform ?? '',
      platform_like: os.platform_like ?? '',
    }
  } finally {
    if (!engine) {
      own.close()
    }
  }
}
