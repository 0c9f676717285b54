import { describe, expect, it } from 'vitest'
import { parseOsTemplates, SimulationOptions, templateForHost } from './options.js'

describe('parseOsTemplates', () => {
  it('reads names with optional weights and .tmpl suffixes', () => {
    expect(parseOsTemplates('ubuntu_22.04:3, windows_11:1,mac10.14.6.tmpl')).toEqual([
      { name: 'ubuntu_22.04', weight: 3 },
      { name: 'windows_11', weight: 1 },
      { name: 'mac10.14.6', weight: 1 },
    ])
  })

  it('rejects bad weights and empty lists', () => {
    expect(() => parseOsTemplates('ubuntu_22.04:0')).toThrow(/weight/)
    expect(() => parseOsTemplates('ubuntu_22.04:x')).toThrow(/weight/)
    expect(() => parseOsTemplates(' , ')).toThrow(/no OS templates/)
  })
})

describe('templateForHost', () => {
  it('deals templates by weight, in proportion for any prefix of hosts', () => {
    const templates = parseOsTemplates('u:3,w:1,m:1')
    const dealt = Array.from({ length: 10 }, (_, i) => templateForHost(i, templates))
    expect(dealt).toEqual(['u', 'u', 'u', 'w', 'm', 'u', 'u', 'u', 'w', 'm'])
  })
})

describe('SimulationOptions', () => {
  it('fills osquery-perf’s defaults', () => {
    const config = SimulationOptions.parse({ enrollSecret: 'x' })
    expect(config).toMatchObject({
      serverUrl: 'https://localhost:8080',
      hostCount: 10,
      osTemplates: [{ name: 'ubuntu_22.04', weight: 1 }],
      configIntervalMs: 60_000,
      queryIntervalMs: 10_000,
      loggerIntervalMs: 10_000,
      startPeriodMs: 10_000,
      policyPassProb: 1,
      inventory: { commonUsers: 10, uniqueUsers: 10, commonSoftware: 10 },
    })
  })

  it('requires an enroll secret', () => {
    expect(SimulationOptions.safeParse({}).success).toBe(false)
  })
})
