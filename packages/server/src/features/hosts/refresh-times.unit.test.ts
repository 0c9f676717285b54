import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../platform/logger.js'
import { MemoryPubSub } from '../../platform/pubsub/index.js'
import { RefreshTimes } from './refresh-times.js'
import type { RefreshRow } from './refresh-times.store.js'

/** A store in memory: what was loaded at start, and every batch written. */
function fakeStore(stored: RefreshRow[] = []) {
  const written: RefreshRow[][] = []
  return {
    written,
    load: () => Promise.resolve(stored),
    write: (rows: readonly RefreshRow[]) => {
      written.push([...rows])
      return Promise.resolve()
    },
  }
}

describe('RefreshTimes', () => {
  it('keeps the last answer apart from the last full refresh', () => {
    const times = new RefreshTimes(new MemoryPubSub(), fakeStore(), silentLogger())
    expect(times.get(1, 'labels')).toEqual({ since: 0, refreshedAt: 0 })
    times.answered(1, 'labels', 1000, true)
    times.answered(1, 'labels', 5000, false)
    expect(times.get(1, 'labels')).toEqual({ since: 5000, refreshedAt: 1000 })
    expect(times.get(1, 'policies')).toEqual({ since: 0, refreshedAt: 0 })
  })

  it('writes answers in one batch per flush, the latest per host and schedule', async () => {
    const store = fakeStore()
    const times = new RefreshTimes(new MemoryPubSub(), store, silentLogger())
    times.answered(1, 'labels', 1000, true)
    times.answered(1, 'labels', 2000, false)
    times.answered(2, 'policies', 2000, true)
    expect(store.written).toEqual([])
    await times.flush()
    expect(store.written).toEqual([
      [
        { hostId: 1, provider: 'labels', since: 2000, refreshedAt: 1000 },
        { hostId: 2, provider: 'policies', since: 2000, refreshedAt: 2000 },
      ],
    ])
  })

  it('shares answers and resets with every instance, and loads stored times at start', async () => {
    const pubsub = new MemoryPubSub()
    const stored = [{ hostId: 3, provider: 'labels', since: 700, refreshedAt: 600 }]
    const here = new RefreshTimes(pubsub, fakeStore(stored), silentLogger())
    const there = new RefreshTimes(pubsub, fakeStore(stored), silentLogger())
    await here.start(60_000)
    await there.start(60_000)
    expect(there.get(3, 'labels')).toEqual({ since: 700, refreshedAt: 600 })

    await here.publish([here.answered(1, 'labels', 1000, true)])
    expect(there.get(1, 'labels')).toEqual({ since: 1000, refreshedAt: 1000 })

    // A re-enrolled host starts over everywhere, and its buffered answer is not written.
    const thereStore = fakeStore()
    const third = new RefreshTimes(pubsub, thereStore, silentLogger())
    await third.start(60_000)
    third.answered(1, 'labels', 1500, false)
    await here.reset([1])
    expect(there.get(1, 'labels')).toEqual({ since: 0, refreshedAt: 0 })
    expect(third.get(1, 'labels')).toEqual({ since: 0, refreshedAt: 0 })
    await Promise.all([here.stop(), there.stop(), third.stop()])
    expect(thereStore.written).toEqual([])
  })
})
