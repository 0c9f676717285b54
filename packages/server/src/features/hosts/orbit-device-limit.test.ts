import { describe, expect, it } from 'vitest'
import { FailureLimiter } from './orbit-device-limit.js'

describe('failure limiter', () => {
  it('allows a burst of failures, then blocks the key (not others) until the bucket refills', () => {
    let now = 1_000_000
    const limiter = new FailureLimiter({ perHour: 720, burst: 3, now: () => now })
    expect([limiter.fail('ip'), limiter.fail('ip'), limiter.fail('ip')]).toEqual([0, 0, 0])
    expect(limiter.waitFor('ip')).toBe(0)
    expect(limiter.fail('ip')).toBe(5)
    expect(limiter.waitFor('ip')).toBe(5)
    expect(limiter.waitFor('other')).toBe(0)
    now += 4_000
    expect(limiter.waitFor('ip')).toBe(1)
    now += 1_000
    expect(limiter.waitFor('ip')).toBe(0)
    // The bucket refilled by one: one more failure is allowed, the next blocks again.
    expect(limiter.fail('ip')).toBe(0)
    expect(limiter.fail('ip')).toBeGreaterThan(0)
  })
})
