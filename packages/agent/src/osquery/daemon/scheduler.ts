import type { ScheduleEntry } from '../engine/engine.js'
import { sleep } from '../../transport/backoff.js'
import type { ScheduledQuery } from './schedule-plan.js'

/**
 * osquery's splayValue: a random interval within ±splay% of the original (at least 1 s), so
 * queries sharing an interval do not all run in the same second.
 */
export function splayInterval(
  interval: number,
  percent: number,
  random: () => number = Math.random,
): number {
  if (percent <= 0 || percent > 100 || interval <= 0) {
    return interval
  }
  const spread = Math.floor((interval * percent) / 100)
  const min = Math.max(1, interval - spread)
  const max = interval + spread
  return min + Math.floor(random() * (max - min + 1))
}

/**
 * Whether something with period `every` is due at second `now` given the previous tick at
 * `previous`: osquery's test, which fires on multiples of the period and catches up when ticks
 * skipped over one (a slow query, a suspended machine).
 */
export function isDue(every: number, now: number, previous: number): boolean {
  return every > 0 && (now - previous >= every || now % every <= previous % every)
}

/** Remembers each query's splayed interval across restarts (osquery keeps it in its database). */
export interface SplayMemory {
  get(name: string, interval: number): number | undefined
  set(name: string, interval: number, splayed: number): void
}

/** How the scheduler runs queries and where it keeps its splay. */
export interface SchedulerOptions {
  /** Runs one query, logging its results; errors are the runner's to report. */
  run: (query: ScheduledQuery) => Promise<void> | void
  /** schedule_splay_percent, read when queries are (re)set. */
  splayPercent: () => number
  /** Called every tick with the current and previous second (interval decorators). */
  onTick?: (now: number, previous: number) => void
  splayMemory?: SplayMemory
  random?: () => number
  /** Milliseconds since the epoch. */
  now?: () => number
}

interface Slot {
  query: ScheduledQuery
  splayed: number
  stats: Omit<ScheduleEntry, 'name' | 'query' | 'interval'>
}

/**
 * The schedule: a one-second tick, as osquery's SchedulerRunner, running each query whose
 * splayed interval divides the current second. Changing the set keeps statistics and splay of
 * queries whose text and interval did not change.
 */
export class Scheduler {
  private slots = new Map<string, Slot>()
  private previous: number | undefined

  constructor(private readonly options: SchedulerOptions) {}

  /** Replaces the schedule. */
  setQueries(queries: readonly ScheduledQuery[]): void {
    const next = new Map<string, Slot>()
    for (const query of queries) {
      const old = this.slots.get(query.name)
      if (old && old.query.query === query.query && old.query.interval === query.interval) {
        next.set(query.name, { ...old, query })
        continue
      }
      next.set(query.name, {
        query,
        splayed: this.splayFor(query),
        stats: {
          executions: 0,
          lastExecuted: 0,
          outputSize: 0,
          wallTimeMs: 0,
          averageMemory: 0,
          denylisted: false,
        },
      })
    }
    this.slots = next
  }

  private splayFor(query: ScheduledQuery): number {
    const remembered = this.options.splayMemory?.get(query.name, query.interval)
    if (remembered !== undefined) {
      return remembered
    }
    const splayed = splayInterval(query.interval, this.options.splayPercent(), this.options.random)
    this.options.splayMemory?.set(query.name, query.interval, splayed)
    return splayed
  }

  /** Runs everything due at second `now`, in schedule order; returns the names run. */
  async tick(now: number): Promise<string[]> {
    if (this.previous !== undefined && now <= this.previous) {
      return []
    }
    const previous = this.previous ?? now - 1
    this.previous = now
    const ran: string[] = []
    for (const slot of [...this.slots.values()]) {
      if (!isDue(slot.splayed, now, previous)) {
        continue
      }
      ran.push(slot.query.name)
      await this.options.run(slot.query)
    }
    this.options.onTick?.(now, previous)
    return ran
  }

  /** Records how a run went, for the engine's osquery_schedule table. */
  recordRun(name: string, run: { wallTimeMs: number; outputSize: number; at: number }): void {
    const slot = this.slots.get(name)
    if (!slot) {
      return
    }
    slot.stats.executions++
    slot.stats.lastExecuted = run.at
    slot.stats.outputSize += run.outputSize
    slot.stats.wallTimeMs += run.wallTimeMs
  }

  /** The schedule as osquery_schedule shows it. */
  entries(): ScheduleEntry[] {
    return [...this.slots.values()].map((slot) => ({
      name: slot.query.name,
      query: slot.query.query,
      interval: slot.query.interval,
      ...slot.stats,
    }))
  }

  /** The splayed interval of a scheduled query (tests, diagnostics). */
  splayedInterval(name: string): number | undefined {
    return this.slots.get(name)?.splayed
  }

  /** Ticks on each wall-clock second until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const nowMs = this.options.now ?? Date.now
    while (!signal.aborted) {
      await sleep(1000 - (nowMs() % 1000), signal)
      if (signal.aborted) {
        return
      }
      await this.tick(Math.floor(nowMs() / 1000))
    }
  }
}
