import type { Engine } from '../engine/engine.js'
import type { DecoratorConfig } from './config.js'
import { isDue } from './scheduler.js'

type Source = 'load' | 'always' | `interval:${number}`

/**
 * osquery's decorators: `load` queries run when a config is applied, `always` before every
 * scheduled query, `interval` ones on their period (multiples of 60 s). Each query's first row
 * contributes its columns; later sources override earlier ones (load < interval < always).
 * A failing decorator is reported and contributes nothing.
 */
export class Decorations {
  private config: DecoratorConfig = { load: [], always: [], interval: [] }
  private readonly bySource = new Map<Source, Record<string, string>>()

  constructor(
    private readonly engine: Engine,
    private readonly onError: (sql: string, error: string) => void,
    private readonly disabled: () => boolean = () => false,
  ) {}

  /** Takes a new config's decorators and runs its `load` ones (and the others once). */
  configure(config: DecoratorConfig): void {
    this.config = config
    this.bySource.clear()
    this.runSource('load', config.load)
    for (const { seconds, queries } of config.interval) {
      this.runSource(`interval:${seconds}`, queries)
    }
  }

  /** Before each scheduled query. */
  runAlways(): void {
    this.runSource('always', this.config.always)
  }

  /** From the scheduler's tick: interval decorators whose period came round. */
  runIntervals(now: number, previous: number): void {
    for (const { seconds, queries } of this.config.interval) {
      if (isDue(seconds, now, previous)) {
        this.runSource(`interval:${seconds}`, queries)
      }
    }
  }

  /** The merged decorations for a log line. */
  current(): Record<string, string> {
    if (this.disabled()) {
      return {}
    }
    const merged: Record<string, string> = { ...this.bySource.get('load') }
    for (const { seconds } of this.config.interval) {
      Object.assign(merged, this.bySource.get(`interval:${seconds}`))
    }
    return Object.assign(merged, this.bySource.get('always'))
  }

  private runSource(source: Source, queries: readonly string[]): void {
    if (this.disabled() || queries.length === 0) {
      return
    }
    const values: Record<string, string> = {}
    for (const sql of queries) {
      const outcome = this.engine.query(sql)
      if (outcome.status !== 0) {
        this.onError(sql, outcome.error)
        continue
      }
      Object.assign(values, outcome.rows[0] ?? {})
    }
    this.bySource.set(source, values)
  }
}
