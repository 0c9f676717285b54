import { randomUUID } from 'node:crypto'
import type { Deps } from '../deps.js'
import type { CronJob } from '../platform/cron-job.js'
import { errorMessage } from '../platform/errors/index.js'
import {
  clearRunning,
  recordRun,
  renewRunning,
  tryAcquireLock,
  tryMarkRunning,
  type RunMark,
} from './cron-locks.store.js'

/** What `trigger` did: started a run, found one in progress (on any instance), or knows no such job. */
export type TriggerOutcome =
  | { kind: 'started'; done: Promise<void> }
  | { kind: 'running'; sinceMs: number }
  | { kind: 'unknown'; names: string[] }

export interface CronRunner {
  /**
   * Runs the named job now, whatever its interval (`POST /trigger`): the run takes no lock, so the
   * scheduled runs go on as before. A run of it in progress on any instance is not doubled.
   */
  trigger(name: string): Promise<TriggerOutcome>
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
 *
 * Every run, scheduled or triggered, also marks itself running in the job's row, with a lease it
 * renews while it runs: a second run of the job (a trigger on another instance, or a schedule
 * falling due during a triggered run) finds the mark and does not start, and a crashed instance's
 * mark lapses after `runLeaseMs`.
 */
export function createCronRunner(
  deps: Pick<Deps, 'db' | 'clock' | 'log'>,
  jobs: readonly CronJob[],
  options: { owner?: string; tickMs?: number; runLeaseMs?: number } = {},
): CronRunner {
  const owner = options.owner ?? randomUUID()
  const tickMs = options.tickMs ?? 10_000
  const runLeaseMs = options.runLeaseMs ?? 60_000
  const running = new Map<string, Promise<void>>()
  const startedAt = new Map<string, number>()
  let timer: NodeJS.Timeout | undefined

  /** Marks the job running for every instance; the mark found instead when another run has it. */
  async function markRunning(job: CronJob): Promise<RunMark> {
    const now = deps.clock.now().getTime()
    return tryMarkRunning(deps.db, { name: job.name, owner, now, until: now + runLeaseMs })
  }

  /** Runs a job whose run this instance has marked; renews the mark while it runs. */
  function launch(job: CronJob): Promise<void> {
    startedAt.set(job.name, deps.clock.now().getTime())
    const renewal = setInterval(() => {
      const until = deps.clock.now().getTime() + runLeaseMs
      renewRunning(deps.db, { name: job.name, owner, until }).catch((err: unknown) => {
        deps.log.warn({ cron: job.name, err: errorMessage(err) }, 'renewing a cron run failed')
      })
    }, runLeaseMs / 3)
    renewal.unref()
    const run = runJob(job).finally(async () => {
      clearInterval(renewal)
      await clearRunning(deps.db, { name: job.name, owner }).catch((err: unknown) => {
        deps.log.warn({ cron: job.name, err: errorMessage(err) }, 'clearing a cron run failed')
      })
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

  /** The job's lock for this interval, and then its run mark (false if either is taken). */
  async function claim(job: CronJob): Promise<boolean> {
    try {
      const intervalMs =
        typeof job.intervalMs === 'number' ? job.intervalMs : await job.intervalMs()
      const now = deps.clock.now().getTime()
      const locked = await tryAcquireLock(deps.db, {
        name: job.name,
        owner,
        now,
        expiresAt: now + intervalMs,
      })
      // A run already in progress (triggered elsewhere) does this interval's work.
      return locked && (await markRunning(job)).kind === 'marked'
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

  async function trigger(name: string): Promise<TriggerOutcome> {
    const job = jobs.find((j) => j.name === name)
    if (!job) {
      return { kind: 'unknown', names: jobs.map((j) => j.name).sort() }
    }
    const since = startedAt.get(name)
    if (since !== undefined) {
      return { kind: 'running', sinceMs: deps.clock.now().getTime() - since }
    }
    const mark = await markRunning(job)
    if (mark.kind === 'running') {
      return { kind: 'running', sinceMs: Math.max(0, deps.clock.now().getTime() - mark.since) }
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
