import { randomUUID } from 'node:crypto'
import type { Deps } from '../deps.js'
import type { CronJob } from '../platform/cron-job.js'
import { errorMessage } from '../platform/errors/index.js'
import { recordRun, tryAcquireLock } from './cron-locks.store.js'

/** What `trigger` did: started a run, found one in progress here, or knows no such job. */
export type TriggerOutcome =
  | { kind: 'started'; done: Promise<void> }
  | { kind: 'running'; sinceMs: number }
  | { kind: 'unknown'; names: string[] }

export interface CronRunner {
  /**
   * Runs the named job now, whatever its interval (`POST /trigger`): the run takes no lock, so the
   * scheduled runs go on as before. A run of it in progress on this instance is not doubled.
   */
  trigger(name: string): TriggerOutcome
  /** Checks for due jobs every `tickMs` until `stop()`. */
  start(): void
  /** Runs every job that is due and whose lock this instance wins; resolves with their names. */
  runDue(): Promise<string[]>
  /** Stops ticking and waits for runs in progress. */
  stop(): Promise<void>
}

/**
 * Runs feature jobs so that, however many `fleet serve` instances share the database, each job
 * runs once per interval: a run takes the job's row in `cron_locks` until the interval lapses
 * (a conditional UPDATE, or the INSERT of the first run), so the instance that loses does nothing
 * and a crashed holder's lock simply expires. A job that throws is logged and tried again next
 * interval; it never stops the others.
 */
export function createCronRunner(
  deps: Pick<Deps, 'db' | 'clock' | 'log'>,
  jobs: readonly CronJob[],
  options: { owner?: string; tickMs?: number } = {},
): CronRunner {
  const owner = options.owner ?? randomUUID()
  const tickMs = options.tickMs ?? 10_000
  const running = new Map<string, Promise<void>>()
  const startedAt = new Map<string, number>()
  let timer: NodeJS.Timeout | undefined

  function launch(job: CronJob): Promise<void> {
    startedAt.set(job.name, deps.clock.now().getTime())
    const run = runJob(job).finally(() => {
      running.delete(job.name)
      startedAt.delete(job.name)
    })
    running.set(job.name, run)
    return run
  }

  async function runJob(job: CronJob): Promise<void> {
    const started = deps.clock.now().getTime()
    const log = deps.log.child({ cron: job.name })
    try {
      const summary = await job.run()
      const finished = deps.clock.now().getTime()
      await recordRun(deps.db, { name: job.name, owner, at: finished })
      log.info({ ...summary, durationMs: finished - started }, 'cron job done')
    } catch (err) {
      log.error({ err: errorMessage(err) }, 'cron job failed; next try after its interval')
    }
  }

  async function claim(job: CronJob): Promise<boolean> {
    try {
      const intervalMs =
        typeof job.intervalMs === 'number' ? job.intervalMs : await job.intervalMs()
      const now = deps.clock.now().getTime()
      return await tryAcquireLock(deps.db, {
        name: job.name,
        owner,
        now,
        expiresAt: now + intervalMs,
      })
    } catch (err) {
      deps.log.warn({ cron: job.name, err: errorMessage(err) }, 'cron lock unavailable')
      return false
    }
  }

  async function runDue(): Promise<string[]> {
    const ran: string[] = []
    for (const job of jobs) {
      if (running.has(job.name) || !(await claim(job))) {
        continue
      }
      void launch(job)
      ran.push(job.name)
    }
    await Promise.all([...running.values()])
    return ran
  }

  // The latest tick, so stop() also waits for one still claiming its locks.
  let ticking: Promise<unknown> = Promise.resolve()
  const tick = () => {
    ticking = runDue()
  }

  function trigger(name: string): TriggerOutcome {
    const job = jobs.find((j) => j.name === name)
    if (!job) {
      return { kind: 'unknown', names: jobs.map((j) => j.name).sort() }
    }
    const since = startedAt.get(name)
    if (since !== undefined) {
      return { kind: 'running', sinceMs: deps.clock.now().getTime() - since }
    }
    deps.log.info({ cron: name }, 'cron job triggered')
    return { kind: 'started', done: launch(job) }
  }

  return {
    trigger,
    start() {
      timer ??= setInterval(tick, tickMs)
      timer.unref()
      tick()
    },
    runDue,
    async stop() {
      clearInterval(timer)
      timer = undefined
      await ticking
      await Promise.all([...running.values()])
    },
  }
}
