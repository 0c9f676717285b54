import { describe, expect, it } from 'vitest'
import { exceedsJsonDepth, truncateJsonDepth, TOO_DEEP } from './json-depth.js'

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(exceedsJsonDepth(nested(64), 64)).toBe(false)
    expect(exceedsJsonDepth(nested(65), 64)).toBe(true)
    expect(exceedsJsonDepth(JSON.stringify({ a: '['.repeat(500) }), 64)).toBe(false)
    expect(exceedsJsonDepth(JSON.stringify({ a: '\\"[[[[[[' + '['.repeat(100) }), 64)).toBe(false)
    expect(exceedsJsonDepth(`{"a":${nested(3)},"b":${nested(70)}}`, 64)).toBe(true)
  })
})

describe('truncateJsonDepth', () => {
  it('replaces what is nested deeper than the limit and keeps the rest', () => {
    const value = { keep: [1, { two: 2 }], deep: { a: { b: { c: 'gone' } } } }
    expect(truncateJsonDepth(value, 3)).toEqual({
      keep: [1, { two: 2 }],
      deep: { a: { b: TOO_DEEP } },
    })
    // The input is not changed.
    expect(value.deep.a.b.c).toBe('gone')
  })

  it('handles nesting far beyond what recursion survives', () => {
    const deep: unknown = JSON.parse(nested(200_000))
    const truncated = truncateJsonDepth(deep, 2)
    expect(truncated).toEqual([[TOO_DEEP]])
    expect(() => JSON.stringify(truncated)).not.toThrow()
  })
})
