/**
 * A periodic job a feature owns (`<feature>.cron.ts`); `cron/` runs each one once per interval
 * across every instance sharing the database.
 */
export interface CronJob {
  /** Unique, stable name: the lock's key in `cron_locks`. */
  name: string
  /** How often the job runs across all instances. */
  intervalMs: number
  /** Does one run; what it returns is logged (e.g. how many rows it removed). */
  run(): Promise<Record<string, number | string> | void>
}
