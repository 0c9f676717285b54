/** One row per cron job: which instance holds the job's lock, and until when. */
export interface CronLocksTable {
  name: string
  /** The instance id of the holder (random per `fleet serve` process). */
  owner: string
  /** Millisecond time the lock lapses; another instance may take it from then on. */
  expires_at: number
  /** Millisecond time the holder last finished the job (null until it first has). */
  last_run_at: number | null
}
