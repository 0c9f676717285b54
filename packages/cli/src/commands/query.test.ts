import { describe, expect, it } from 'vitest'
import { parseDuration } from './query.js'

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and milliseconds', () => {
    expect(parseDuration('30')).toBe(30_000)
    expect(parseDuration('30s')).toBe(30_000)
    expect(parseDuration('2m')).toBe(120_000)
    expect(parseDuration('1h')).toBe(3_600_000)
    expect(parseDuration('1500ms')).toBe(1500)
  })

  it('refuses anything else', () => {
    expect(() => parseDuration('soon')).toThrow('invalid --timeout "soon"')
    expect(() => parseDuration('-5s')).toThrow()
  })
})
