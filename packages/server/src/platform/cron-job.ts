/**
 * A periodic job a feature owns (`<feature>.cron.ts`); `cron/` runs each one once per interval
 * across every instance sharing the database.
 */
export interface CronJob {
  /** Unique, stable name: the lock's key in `cron_locks`. */
  name: string
  /**
   * How often the job runs across all instances; a function is asked at each check, for an
   * interval that comes from settings (e.g. `webhook_settings.interval`).
   */
  intervalMs: number | (() => Promise<number>)
  /** Does one run; what it returns is logged (e.g. how many rows it removed). */
  run(): Promise<Record<string, number | string> | void>
}
