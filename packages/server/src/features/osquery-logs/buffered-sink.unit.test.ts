import { describe, expect, it } from 'vitest'
import { capturingLogger } from '../../test-utils/capturing-logger.js'
import { BufferedLogSink } from './buffered-sink.js'
import type { LogDestination } from './log-destination.js'

/** A destination the test controls: it records batches, and may fail or hold them. */
class FakeDestination implements LogDestination {
  readonly kind = 'fake'
  readonly batches: string[][] = []
  failNext = 0
  attempts = 0
  readonly #attemptWaiters: { count: number; wake: () => void }[] = []
  #hold: Promise<void> | undefined
  #release: (() => void) | undefined
  closed = false

  hold(): void {
    this.#hold = new Promise((resolve) => {
      this.#release = resolve
    })
  }
  release(): void {
    this.#release?.()
    this.#hold = undefined
  }
  /** Resolves once `write` has been called `count` times in all. */
  attempted(count: number): Promise<void> {
    return this.attempts >= count
      ? Promise.resolve()
      : new Promise((wake) => this.#attemptWaiters.push({ count, wake }))
  }
  async write(lines: readonly string[]): Promise<void> {
    await this.#hold
    this.attempts++
    for (const waiter of this.#attemptWaiters.filter((w) => w.count <= this.attempts)) {
      waiter.wake()
    }
    if (this.failNext > 0) {
      this.failNext--
      throw new Error('destination down')
    }
    this.batches.push([...lines])
  }
  close(): Promise<void> {
    this.closed = true
    return Promise.resolve()
  }
}

const lines = (n: number, tag = 'l') => Array.from({ length: n }, (_, i) => `"${tag}${i}"`)

describe('BufferedLogSink', () => {
  it('answers each offer once its lines are written, grouping offers that wait into batches', async () => {
    const destination = new FakeDestination()
    destination.hold()
    const sink = new BufferedLogSink(destination, {
      name: 'result',
      capacity: 100,
      batchLines: 4,
      log: capturingLogger().log,
    })
    let settled = 0
    const offers = [lines(3, 'a'), lines(2, 'b'), lines(1, 'c')].map((batch) =>
      sink.offer(batch).then((written) => {
        settled++
        return written
      }),
    )
    await new Promise((resolve) => setImmediate(resolve))
    expect(settled).toBe(0)
    expect(sink.stats()).toMatchObject({ queued: 6, written: 0 })
    destination.release()
    expect(await Promise.all(offers)).toEqual([true, true, true])
    // Offers are never split: a batch takes whole offers up to batchLines.
    expect(destination.batches).toEqual([lines(3, 'a'), [...lines(2, 'b'), ...lines(1, 'c')]])
    expect(sink.stats()).toEqual({ queued: 0, written: 6, dropped: 0, refused: 0 })
  })

  it('refuses what does not fit while a write is slow, and says so', async () => {
    const destination = new FakeDestination()
    destination.hold()
    const { log, lines: logged } = capturingLogger()
    const sink = new BufferedLogSink(destination, { name: 'status', capacity: 5, log })
    const first = sink.offer(lines(4))
    expect(sink.hasRoom(2)).toBe(false)
    expect(await sink.offer(lines(2))).toBe(false)
    const second = sink.offer(lines(1))
    expect(sink.stats()).toMatchObject({ queued: 5, refused: 2 })
    expect(logged).toMatchObject([{ level: 40, log: 'status', refused: 2 }])
    destination.release()
    expect([await first, await second]).toEqual([true, true])
    expect(sink.stats()).toMatchObject({ queued: 0, written: 5 })
    // An empty buffer takes even an offer larger than its capacity, so a big batch can't wedge.
    expect(await sink.offer(lines(9))).toBe(true)
    await sink.close()
    expect(destination.closed).toBe(true)
    expect(await sink.offer(lines(1))).toBe(false)
  })

  it('answers false to every waiting offer when a write fails, keeps nothing, and refuses during the back-off', async () => {
    const destination = new FakeDestination()
    destination.hold()
    destination.failNext = 1
    const { log, lines: logged } = capturingLogger()
    const sink = new BufferedLogSink(destination, {
      name: 'result',
      capacity: 10,
      batchLines: 3,
      retryDelayMs: 60_000,
      log,
    })
    const failed = [sink.offer(lines(3, 'a')), sink.offer(lines(2, 'b'))]
    destination.release()
    // Neither reached the destination: the hosts send them again, so nothing is duplicated.
    expect(await Promise.all(failed)).toEqual([false, false])
    expect(destination.batches).toEqual([])
    expect(sink.failing).toBe(true)
    expect(sink.hasRoom(1)).toBe(false)
    expect(await sink.offer(lines(1, 'c'))).toBe(false)
    expect(sink.stats()).toEqual({ queued: 0, written: 0, dropped: 0, refused: 6 })
    expect(logged.map((line) => line.msg)).toEqual([
      'osquery log destination failed; hosts are asked to send their logs again',
      'osquery log destination is failing; hosts are asked to send their logs again later',
    ])
  })

  it('tries again after the back-off and says when the destination recovered', async () => {
    const destination = new FakeDestination()
    destination.failNext = 1
    const { log, lines: logged } = capturingLogger()
    let now = 1_000
    const sink = new BufferedLogSink(destination, {
      name: 'result',
      capacity: 10,
      retryDelayMs: 500,
      log,
      now: () => now,
    })
    expect(await sink.offer(lines(2, 'a'))).toBe(false)
    now += 499
    expect(sink.hasRoom(2)).toBe(false)
    now += 1
    expect(await sink.offer(lines(2, 'a'))).toBe(true)
    expect(destination.batches).toEqual([lines(2, 'a')])
    expect(sink.failing).toBe(false)
    expect(logged.at(-1)?.msg).toBe('osquery log destination recovered')
  })

  it('answers false to what is still queued at close after its timeout, counting it', async () => {
    const destination = new FakeDestination()
    destination.hold()
    const { log, lines: logged } = capturingLogger()
    const sink = new BufferedLogSink(destination, {
      name: 'result',
      capacity: 10,
      batchLines: 2,
      closeTimeoutMs: 20,
      log,
    })
    const offers = [sink.offer(lines(2)), sink.offer(lines(3))]
    await sink.close()
    expect(sink.stats()).toMatchObject({ dropped: 3 })
    expect(logged.at(-1)).toMatchObject({ level: 50, lines: 3 })
    destination.release()
    expect(await Promise.all(offers)).toEqual([true, false])
  })

  it('gathers offers made while it waits into one write, and flush ends the wait', async () => {
    const destination = new FakeDestination()
    const sink = new BufferedLogSink(destination, {
      name: 'status',
      capacity: 100,
      coalesceMs: 600_000,
      log: capturingLogger().log,
    })
    const offers: Promise<boolean>[] = []
    for (const tag of ['a', 'b', 'c']) {
      offers.push(sink.offer(lines(2, tag)))
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(destination.batches).toEqual([])
    await sink.flush()
    expect(await Promise.all(offers)).toEqual([true, true, true])
    expect(destination.batches).toEqual([[...lines(2, 'a'), ...lines(2, 'b'), ...lines(2, 'c')]])
    await sink.close()
  })
})
