import { describe, expect, it, vi } from 'vitest'
import { isDue, Scheduler, splayInterval, type SplayMemory } from './scheduler.js'

const q = (name: string, interval: number, query = `SELECT '${name}'`) => ({
  name,
  query,
  interval,
  snapshot: false,
  removed: true,
})

describe('splayInterval', () => {
  it('stays within ±percent of the interval and at least 1 s', () => {
    expect(splayInterval(100, 10, () => 0)).toBe(90)
    expect(splayInterval(100, 10, () => 0.9999)).toBe(110)
    expect(splayInterval(100, 0, () => 0.5)).toBe(100)
    expect(splayInterval(1, 100, () => 0)).toBe(1)
    for (let i = 0; i < 50; i++) {
      const splayed = splayInterval(3600, 10)
      expect(splayed).toBeGreaterThanOrEqual(3240)
      expect(splayed).toBeLessThanOrEqual(3960)
    }
  })
})

describe('isDue', () => {
  it('fires on multiples of the period and catches up over skipped seconds', () => {
    expect(isDue(10, 100, 99)).toBe(true)
    expect(isDue(10, 101, 100)).toBe(false)
    expect(isDue(10, 112, 108)).toBe(true)
    expect(isDue(10, 130, 100)).toBe(true)
    expect(isDue(0, 100, 99)).toBe(false)
  })
})

describe('Scheduler', () => {
  it('runs each query when its splayed interval comes round, not all at once', async () => {
    const ran: string[] = []
    const scheduler = new Scheduler({
      splayPercent: () => 0,
      run: (query) => void ran.push(query.name),
    })
    scheduler.setQueries([q('ten', 10), q('thirty', 30)])
    const timeline: Record<number, string[]> = {}
    for (let second = 1; second <= 60; second++) {
      const names = await scheduler.tick(second)
      if (names.length > 0) {
        timeline[second] = names
      }
    }
    expect(timeline).toEqual({
      10: ['ten'],
      20: ['ten'],
      30: ['ten', 'thirty'],
      40: ['ten'],
      50: ['ten'],
      60: ['ten', 'thirty'],
    })
  })

  it('splays queries sharing an interval apart', () => {
    let n = 0
    const scheduler = new Scheduler({
      splayPercent: () => 10,
      random: () => [0, 0.5, 0.99][n++ % 3] ?? 0,
      run: () => undefined,
    })
    scheduler.setQueries([q('a', 600), q('b', 600), q('c', 600)])
    expect(['a', 'b', 'c'].map((name) => scheduler.splayedInterval(name))).toEqual([540, 600, 659])
  })

  it('keeps splay and statistics for unchanged queries when the schedule changes', async () => {
    const memory = new Map<string, string>()
    const splayMemory: SplayMemory = {
      get: (name, interval) => {
        const [i, s] = (memory.get(name) ?? '').split(':').map(Number)
        return i === interval ? s : undefined
      },
      set: (name, interval, splayed) => memory.set(name, `${interval}:${splayed}`),
    }
    const scheduler = new Scheduler({
      splayPercent: () => 10,
      random: () => 0,
      run: () => undefined,
      splayMemory,
    })
    scheduler.setQueries([q('a', 100)])
    scheduler.recordRun('a', { wallTimeMs: 5, outputSize: 10, at: 1000 })
    scheduler.setQueries([q('a', 100), q('b', 200)])
    expect(scheduler.entries()).toMatchObject([
      {
        name: 'a',
        interval: 100,
        executions: 1,
        wallTimeMs: 5,
        outputSize: 10,
        lastExecuted: 1000,
      },
      { name: 'b', interval: 200, executions: 0 },
    ])
    scheduler.setQueries([q('a', 100, 'SELECT changed')])
    expect(scheduler.entries()).toMatchObject([{ name: 'a', executions: 0 }])

    // A restart (new scheduler) reuses the remembered splay even with a different random.
    const restarted = new Scheduler({
      splayPercent: () => 10,
      random: () => 0.99,
      run: () => undefined,
      splayMemory,
    })
    restarted.setQueries([q('a', 100)])
    expect(restarted.splayedInterval('a')).toBe(90)
  })

  it('never runs twice in the same second', async () => {
    const ran: string[] = []
    const scheduler = new Scheduler({ splayPercent: () => 0, run: (x) => void ran.push(x.name) })
    scheduler.setQueries([q('a', 5)])
    await scheduler.tick(10)
    await scheduler.tick(10)
    expect(ran).toEqual(['a'])
  })

  it('ticks every second until aborted', async () => {
    const ticks: number[] = []
    const scheduler = new Scheduler({
      splayPercent: () => 0,
      run: () => undefined,
      onTick: (now) => ticks.push(now),
    })
    const controller = new AbortController()
    vi.useFakeTimers()
    try {
      const running = scheduler.run(controller.signal)
      await vi.advanceTimersByTimeAsync(2100)
      controller.abort()
      await running
    } finally {
      vi.useRealTimers()
    }
    expect(ticks.length).toBeGreaterThanOrEqual(2)
    expect(ticks[1]).toBe((ticks[0] ?? 0) + 1)
  })
})
