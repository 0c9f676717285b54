import { describe, expect, it } from 'vitest'
import { Histogram, HISTOGRAM_MAX } from './histogram.js'

describe('Histogram', () => {
  it('is exact for small values', () => {
    const h = new Histogram()
    for (let v = 1; v <= 50; v++) {
      h.record(v)
    }
    expect(h.count).toBe(50)
    expect(h.percentile(50)).toBe(25)
    expect(h.percentile(100)).toBe(50)
    expect(h.min).toBe(1)
    expect(h.max).toBe(50)
    expect(h.mean).toBe(25.5)
  })

  it('keeps percentiles within ~3% over a wide range', () => {
    const h = new Histogram()
    for (let v = 1; v <= 100_000; v++) {
      h.record(v * 10) // 10 µs … 1 s
    }
    for (const [p, exact] of [
      [50, 500_000],
      [90, 900_000],
      [99, 990_000],
      [99.9, 999_000],
    ] as const) {
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThan(0.03)
    }
  })

  it('finds a tail: 99 fast samples and one slow one', () => {
    const h = new Histogram()
    for (let i = 0; i < 99; i++) {
      h.record(1_000)
    }
    h.record(250_000)
    expect(h.percentile(50)).toBeCloseTo(1_000, -2)
    expect(h.percentile(99)).toBeCloseTo(1_000, -2)
    expect(h.percentile(100)).toBe(250_000)
  })

  it('clamps negative and huge values, and returns 0 when empty', () => {
    const h = new Histogram()
    expect(h.percentile(99)).toBe(0)
    h.record(-5)
    h.record(Number.MAX_SAFE_INTEGER)
    expect(h.min).toBe(0)
    expect(h.max).toBe(HISTOGRAM_MAX)
  })

  it('merges and resets', () => {
    const a = new Histogram()
    const b = new Histogram()
    a.record(10)
    b.record(30)
    a.add(b)
    expect(a.count).toBe(2)
    expect(a.max).toBe(30)
    a.reset()
    expect(a.count).toBe(0)
    expect(a.percentile(50)).toBe(0)
  })
})
