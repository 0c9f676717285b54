import { ForcedAgentOptions } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { extensionsFor, extensionsNeedLabels, orbitConfigFor } from './orbit-config.js'

describe('orbit config', () => {
  it('defaults what the agent options leave out, and omits flags and extensions', () => {
    const config = orbitConfigFor({})
    expect(config).toMatchObject({
      script_execution_timeout: 300,
      nudge_config: null,
    })
    // Orbit keeps the channels it was installed with unless the agent options set them.
    expect(config).not.toHaveProperty('update_channels')
    expect(config).not.toHaveProperty('command_line_startup_flags')
    expect(config).not.toHaveProperty('extensions')
    expect(
      Object.values(config.notifications).every(
        (v) => v === false || v === '' || (Array.isArray(v) && v.length === 0),
      ),
    ).toBe(true)
  })

  it('passes flags, extensions, channels and the script timeout through', () => {
    expect(
      orbitConfigFor({
        command_line_flags: { verbose: true },
        extensions: { hello: { channel: 'edge', platform: 'linux' } },
        update_channels: { osqueryd: '5.12.1' },
        script_execution_timeout: 1200,
      }),
    ).toMatchObject({
      script_execution_timeout: 1200,
      command_line_startup_flags: { verbose: true },
      extensions: { hello: { channel: 'edge', platform: 'linux' } },
      update_channels: { orbit: '', osqueryd: '5.12.1', desktop: '' },
    })
  })

  it('tolerates forced agent options of the wrong shape', () => {
    const forced = ForcedAgentOptions.parse({
      command_line_flags: [1],
      extensions: 'x',
      update_channels: { orbit: 3 },
      script_execution_timeout: '9',
    })
    const config = orbitConfigFor(forced)
    expect(config.script_execution_timeout).toBe(300)
    expect(config).not.toHaveProperty('command_line_startup_flags')
    expect(config).not.toHaveProperty('extensions')
    expect(config.update_channels).toEqual({ orbit: '', osqueryd: '', desktop: '' })
  })

  it('sends a label-targeted extension only to hosts in all its labels, without the labels key', () => {
    const extensions = {
      all: { channel: 'stable' },
      some: { channel: 'stable', labels: ['A', 'B'] },
      broken: 'not an object',
    }
    expect(extensionsNeedLabels({ extensions })).toBe(true)
    expect(extensionsNeedLabels({ extensions: { all: { channel: 'stable' } } })).toBe(false)
    expect(extensionsFor(extensions, new Set(['A']))).toEqual({ all: { channel: 'stable' } })
    expect(extensionsFor(extensions, new Set(['A', 'B', 'C']))).toEqual({
      all: { channel: 'stable' },
      some: { channel: 'stable' },
    })
  })
})
