/**
 * Runs every host's periodic work from one timer and a min-heap of due times, instead of a timer
 * per host and loop. Each loop is rescheduled only after its run has finished, as osquery's own
 * threads sleep between runs, so a slow server slows the loop instead of piling requests up.
 */

export type Task = () => Promise<void>

export interface SchedulerOptions {
  now?: () => number
  /** Numbers in [0, 1) for jitter; seeded by the simulation. */
  random?: () => number
  /** Called with anything a task throws (tasks are expected to handle their own failures). */
  onError?: (err: unknown) => void
}

interface Entry {
  at: number
  seq: number
  task: Task
}

export class Scheduler {
  private readonly heap: Entry[] = []
  private readonly inFlight = new Set<Promise<void>>()
  private readonly now: () => number
  private readonly random: () => number
  private readonly onError: (err: unknown) => void
  private timer: NodeJS.Timeout | undefined
  private timerAt = Infinity
  private seq = 0
  private stopped = false

  constructor(options: SchedulerOptions = {}) {
    this.now = options.now ?? Date.now
    this.random = options.random ?? Math.random
    this.onError = options.onError ?? (() => undefined)
  }

  /** Tasks waiting for their time. */
  get pending(): number {
    return this.heap.length
  }

  /** Tasks running now. */
  get running(): number {
    return this.inFlight.size
  }

  /** Runs `task` once at `timeMs` (or as soon as possible if that has passed). */
  at(timeMs: number, task: Task): void {
    if (this.stopped) {
      return
    }
    this.push({ at: timeMs, seq: this.seq++, task })
    this.arm()
  }

  /**
   * Runs `task` after `firstDelayMs`, then again `intervalMs` (± `jitter` × interval, uniformly)
   * after each run finishes, until {@link stop}.
   */
  repeat(firstDelayMs: number, intervalMs: number, jitter: number, task: Task): void {
    const loop: Task = async () => {
      try {
        await task()
      } finally {
        const spread = intervalMs * jitter * (2 * this.random() - 1)
        this.at(this.now() + Math.max(0, intervalMs + spread), loop)
      }
    }
    this.at(this.now() + firstDelayMs, loop)
  }

  /** Drops every waiting task; running ones finish but schedule nothing more. */
  stop(): void {
    this.stopped = true
    this.heap.length = 0
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
      this.timerAt = Infinity
    }
  }

  /** Waits until running tasks finish, or `timeoutMs`; true when they all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timeout: NodeJS.Timeout | undefined
    const expired = new Promise<false>((resolve) => {
      timeout = setTimeout(() => resolve(false), timeoutMs)
    })
    try {
      while (this.inFlight.size > 0) {
        const done = await Promise.race([
          Promise.allSettled([...this.inFlight]).then(() => true),
          expired,
        ])
        if (!done) {
          return false
        }
      }
      return true
    } finally {
      clearTimeout(timeout)
    }
  }

  private arm(): void {
    const next = this.heap[0]
    if (next === undefined || next.at >= this.timerAt) {
      return
    }
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
    }
    this.timerAt = next.at
    this.timer = setTimeout(() => this.fire(), Math.max(0, next.at - this.now()))
  }

  private fire(): void {
    this.timer = undefined
    this.timerAt = Infinity
    const now = this.now()
    for (let next = this.heap[0]; next !== undefined && next.at <= now; next = this.heap[0]) {
      this.pop()
      this.run(next.task)
    }
    this.arm()
  }

  private run(task: Task): void {
    const running: Promise<void> = Promise.resolve()
      .then(task)
      .catch((err: unknown) => this.onError(err))
      .finally(() => this.inFlight.delete(running))
    this.inFlight.add(running)
  }

  private push(entry: Entry): void {
    const heap = this.heap
    heap.push(entry)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = heap[parent]
      if (p === undefined || !before(entry, p)) {
        break
      }
      heap[i] = p
      i = parent
    }
    heap[i] = entry
  }

  private pop(): void {
    const heap = this.heap
    const last = heap.pop()
    if (last === undefined || heap.length === 0) {
      return
    }
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= heap.length) {
        break
      }
      const l = heap[left]
      const r = heap[left + 1]
      const child = r !== undefined && l !== undefined && before(r, l) ? left + 1 : left
      const c = heap[child]
      if (c === undefined || !before(c, last)) {
        break
      }
      heap[i] = c
      i = child
    }
    heap[i] = last
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}
