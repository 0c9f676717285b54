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
  it('answers at once and delivers in the background, in order and in batches', async () => {
    const destination = new FakeDestination()
    destination.hold()
    const sink = new BufferedLogSink(destination, {
      name: 'result',
      capacity: 100,
      batchLines: 4,
      log: capturingLogger().log,
    })
    expect(sink.offer(lines(3, 'a'))).toBe(true)
    expect(sink.offer(lines(3, 'b'))).toBe(true)
    expect(sink.stats()).toMatchObject({ queued: 6, written: 0 })
    destination.release()
    await sink.flush()
    expect(destination.batches).toEqual([
      ['"a0"', '"a1"', '"a2"', '"b0"'],
      ['"b1"', '"b2"'],
    ])
    expect(sink.stats()).toEqual({ queued: 0, written: 6, dropped: 0, refused: 0 })
  })

  it('refuses what does not fit while the destination is slow, and says so', async () => {
    const destination = new FakeDestination()
    destination.hold()
    const { log, lines: logged } = capturingLogger()
    const sink = new BufferedLogSink(destination, { name: 'status', capacity: 5, log })
    expect(sink.offer(lines(4))).toBe(true)
    expect(sink.hasRoom(2)).toBe(false)
    expect(sink.offer(lines(2))).toBe(false)
    expect(sink.offer(lines(1))).toBe(true)
    expect(sink.stats()).toMatchObject({ queued: 5, refused: 2 })
    expect(logged).toMatchObject([{ level: 40, log: 'status', refused: 2 }])
    destination.release()
    await sink.flush()
    expect(sink.stats()).toMatchObject({ queued: 0, written: 5 })
    // An empty buffer takes even an offer larger than its capacity, so a big batch can't wedge.
    expect(sink.offer(lines(9))).toBe(true)
    await sink.close()
    expect(destination.closed).toBe(true)
    expect(sink.offer(lines(1))).toBe(false)
  })

  it('keeps what a failing destination could not take, refuses more meanwhile, and writes it later', async () => {
    const destination = new FakeDestination()
    destination.failNext = 3
    const { log, lines: logged } = capturingLogger()
    const sink = new BufferedLogSink(destination, {
      name: 'result',
      capacity: 10,
      retryDelayMs: 1,
      log,
    })
    expect(sink.offer(lines(3, 'a'))).toBe(true)
    // The second attempt comes after the first failed.
    await destination.attempted(2)
    // Failing: new lines are refused (the host is told to retry), accepted ones are kept.
    expect(sink.failing).toBe(true)
    expect(sink.hasRoom(1)).toBe(false)
    expect(sink.offer(lines(2, 'b'))).toBe(false)
    await sink.flush()
    expect(destination.attempts).toBe(4)
    expect(destination.batches).toEqual([['"a0"', '"a1"', '"a2"']])
    expect(sink.failing).toBe(false)
    expect(sink.stats()).toEqual({ queued: 0, written: 3, dropped: 0, refused: 2 })
    expect(logged.map((line) => line.msg)).toEqual([
      'osquery log destination failed; keeping the lines, retrying, and refusing new ones',
      'osquery log destination is failing; hosts are asked to send their logs again later',
      'osquery log destination recovered',
    ])
  })

  it('gives up queued lines at close after its timeout, counting them', async () => {
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
    sink.offer(lines(5))
    await sink.close()
    expect(sink.stats()).toMatchObject({ dropped: 3 })
    expect(logged.at(-1)).toMatchObject({ level: 50, lines: 3 })
    destination.release()
  })

  it('gathers lines offered while it waits into one write, and flush ends the wait', async () => {
    const destination = new FakeDestination()
    const sink = new BufferedLogSink(destination, {
      name: 'status',
      capacity: 100,
      coalesceMs: 600_000,
      log: capturingLogger().log,
    })
    for (const tag of ['a', 'b', 'c']) {
      expect(sink.offer(lines(2, tag))).toBe(true)
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(destination.batches).toEqual([])
    await sink.flush()
    expect(destination.batches).toEqual([[...lines(2, 'a'), ...lines(2, 'b'), ...lines(2, 'c')]])
    expect(sink.stats()).toMatchObject({ queued: 0, written: 6 })
    await sink.close()
  })
})
