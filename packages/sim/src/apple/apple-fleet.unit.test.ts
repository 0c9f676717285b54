import { describe, expect, it } from 'vitest'
import { parseAnswerShares, shareOf } from './apple-fleet.js'
import { AppleStats, formatAppleText } from './apple-stats.js'

describe('answer shares', () => {
  it('parses mode:fraction lists and refuses unknown modes, bad fractions and sums over 1', () => {
    expect(parseAnswerShares('busy:0.1, invalid-declarations:0.05')).toEqual([
      { mode: 'busy', fraction: 0.1 },
      { mode: 'invalid-declarations', fraction: 0.05 },
    ])
    expect(parseAnswerShares('')).toEqual([])
    expect(() => parseAnswerShares('sleepy:0.1')).toThrow(/invalid answer mode "sleepy:0.1"/)
    expect(() => parseAnswerShares('error')).toThrow(/expected <busy\|not-now/)
    expect(() => parseAnswerShares('error:1.5')).toThrow(/invalid answer mode/)
    expect(() => parseAnswerShares('error:0.6,busy:0.6')).toThrow(/more than 1/)
  })

  it('gives exact counts, in device order, the rest acknowledging', () => {
    const shares = parseAnswerShares('busy:0.2,error:0.1')
    const modes = Array.from({ length: 20 }, (_, i) => shareOf(i, 20, shares))
    expect(modes.filter((m) => m === 'busy')).toHaveLength(4)
    expect(modes.filter((m) => m === 'error')).toHaveLength(2)
    expect(modes.slice(0, 4)).toEqual(['busy', 'busy', 'busy', 'busy'])
    expect(modes.at(-1)).toBe('acknowledge')
  })
})

describe('AppleStats', () => {
  it('counts per interval and in total, and prints the convergence figure', () => {
    const stats = new AppleStats(3)
    stats.enrolled()
    stats.push(true)
    stats.push(false)
    stats.session(
      'push',
      ['DeviceInformation', 'DeclarativeManagement'],
      ['Acknowledged', 'NotNow'],
    )
    stats.ddmSync(true, 2, true)
    stats.converged(120)
    const interval = stats.takeInterval(1, 1)
    expect(interval).toMatchObject({
      devices: 3,
      enrolled: 1,
      pushes: 1,
      unknownPushes: 1,
      sessions: { push: 1, periodic: 0 },
      commands: { DeviceInformation: 1, DeclarativeManagement: 1 },
      statuses: { Acknowledged: 1, NotNow: 1 },
      ddm: { syncs: 1, unchanged: 0, fetched: 2, reports: 1 },
      convergence: { count: 1, waiting: 1 },
    })
    expect(interval.convergence.p50Ms).toBeGreaterThan(100)
    expect(interval.convergence.p50Ms).toBeLessThan(140)
    expect(stats.takeInterval(0, 1)).toMatchObject({ pushes: 0, convergence: { count: 0 } })
    expect(stats.snapshot(0, 1)).toMatchObject({ pushes: 1, convergence: { count: 1 } })
    stats.error('C02X: MDM server answered 400')
    const text = formatAppleText(stats.snapshot(0, 1))
    expect(text).toContain('mdm enrolled 1/3')
    expect(text).toContain('DeviceInformation 1')
    expect(text).toContain('1 converged')
    expect(text).toContain('mdm last error: C02X: MDM server answered 400')
  })
})
