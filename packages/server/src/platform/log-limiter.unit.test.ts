import { describe, expect, it } from 'vitest'
import { LogLimiter } from './log-limiter.js'

describe('LogLimiter', () => {
  it('allows a key once per interval, each key on its own', () => {
    const limiter = new LogLimiter(1_000)
    expect(limiter.allow('a', 0)).toBe(true)
    expect(limiter.allow('a', 999)).toBe(false)
    expect(limiter.allow('b', 999)).toBe(true)
    expect(limiter.allow('a', 1_000)).toBe(true)
    expect(limiter.allow('a', 1_500)).toBe(false)
  })

  it('takes a per-call interval', () => {
    const limiter = new LogLimiter(1_000)
    expect(limiter.allow('a', 0, 60_000)).toBe(true)
    expect(limiter.allow('a', 59_999, 60_000)).toBe(false)
    expect(limiter.allow('a', 60_000, 60_000)).toBe(true)
  })

  it('forgets the oldest keys past its bound', () => {
    const limiter = new LogLimiter(1_000, 2)
    limiter.allow('a', 0)
    limiter.allow('b', 0)
    limiter.allow('c', 0)
    expect(limiter.allow('a', 1)).toBe(true)
    expect(limiter.allow('c', 1)).toBe(false)
  })
})
