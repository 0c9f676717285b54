/** One row per cron job: which instance holds the job's lock, and until when. */
export interface CronLocksTable {
  name: string
  /** The instance id of the holder (random per `fleet serve` process). */
  owner: string
  /** Millisecond time the lock lapses; another instance may take it from then on. */
  expires_at: number
  /** Millisecond time the holder last finished the job (null until it first has). */
  last_run_at: number | null
  /** The instance running the job now (scheduled or triggered); null when no run is marked. */
  running_owner: string | null
  /** Millisecond time that run started. */
  running_since: number | null
  /** Millisecond time the mark lapses unless its owner renews it (a crashed owner's lapses). */
  running_until: number | null
}
