import { describe, expect, it } from 'vitest'
import { createEngine } from '../create-engine.js'
import { TEST_CONTEXT } from '../test-fixtures/fixture-root.js'
import { orbitInfoEnv, orbitInfoFromEnv, type OrbitInfo } from './orbit-info.js'

const ORBIT: OrbitInfo = {
  version: '1.40.0',
  desktopVersion: '1.40.0',
  scriptsEnabled: false,
  channels: { orbit: 'stable', osqueryd: 'stable', desktop: 'edge' },
  startedAt: Date.UTC(2024, 0, 1, 12, 0, 0),
}
const NOW = () => Date.UTC(2024, 0, 1, 12, 30, 0)

describe('orbit_info', () => {
  it("answers Fleet's orbit_info detail query under orbit, and never shows the device token", () => {
    const engine = createEngine({ ...TEST_CONTEXT, orbit: ORBIT }, { probe: { now: NOW } })
    expect(engine.query('SELECT * FROM orbit_info')).toEqual({
      status: 0,
      rows: [
        {
          version: '1.40.0',
          device_auth_token: '',
          enrolled: '1',
          last_recorded_error: '',
          orbit_channel: 'stable',
          osqueryd_channel: 'stable',
          desktop_channel: 'edge',
          desktop_version: '1.40.0',
          uptime: '1800',
          scripts_enabled: '0',
        },
      ],
    })
    // Fleet's discovery query for it.
    expect(
      engine.query(
        "SELECT 1 FROM osquery_registry WHERE active = true AND registry = 'table' AND name = 'orbit_info'",
      ),
    ).toEqual({ status: 0, rows: [{ '1': '1' }] })
    engine.close()
  })

  it('does not exist without orbit, as with osquery and no orbit extension', () => {
    const engine = createEngine(TEST_CONTEXT)
    expect(engine.query('SELECT version FROM orbit_info')).toEqual({
      status: 1,
      error: 'no such table: orbit_info',
    })
    expect(engine.tables()).not.toContain('orbit_info')
    engine.close()
  })

  it('travels from orbit to its engine in the environment', () => {
    expect(orbitInfoFromEnv(orbitInfoEnv(ORBIT))).toEqual(ORBIT)
    expect(orbitInfoFromEnv({})).toBeUndefined()
    expect(orbitInfoFromEnv({ FLEETD_ORBIT_INFO: 'not json' })).toBeUndefined()
    expect(orbitInfoFromEnv({ FLEETD_ORBIT_INFO: '{"version":"2.0.0"}' })).toMatchObject({
      version: '2.0.0',
      desktopVersion: '',
      scriptsEnabled: false,
    })
  })
})
