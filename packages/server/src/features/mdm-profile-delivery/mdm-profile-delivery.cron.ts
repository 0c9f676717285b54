import { randomUUID } from 'node:crypto'
import type { KyselyPlugin, QueryResult, UnknownRow } from 'kysely'
import type { Db } from '../../db/database.js'
import type { CronJob } from '../../platform/cron-job.js'
import { encodeCommand } from '../mdm-commands/index.js'
import { pendingTimeoutDetail, repushDue, verifyingTimeoutDetail } from './delivery.js'
import * as hostRows from './host-profiles.store.js'
import { reconcile, type ReconcileDeps } from './reconcile.js'

/** How often the job runs (Fleet's `mdm_apple_profile_manager`). */
export const RECONCILE_INTERVAL_MS = 30_000
/** A host's profiles are checked with a ProfileList at most this often. */
export const PROFILE_LIST_INTERVAL_MS = 5 * 60_000
/** Hosts checked, and hosts re-pushed, per run at most (the rest wait for the next run). */
const PER_RUN = 1000

export interface DeliveryJobDeps extends ReconcileDeps {
  /** `mdm.apple_profile_pending_timeout`. */
  pendingTimeoutMs: number
}

/** Counts the SQL statements a run executes (each result passes through once). */
function statementCounter(): { plugin: KyselyPlugin; count: () => number } {
  let n = 0
  return {
    plugin: {
      transformQuery: (args) => args.node,
      transformResult: (args): Promise<QueryResult<UnknownRow>> => {
        n += 1
        return Promise.resolve(args.result)
      },
    },
    count: () => n,
  }
}

/** Pending and verifying rows older than the timeout are failed, saying how long we waited. */
async function expire(deps: DeliveryJobDeps, db: Db, now: number): Promise<number> {
  const before = now - deps.pendingTimeoutMs
  const pending = await hostRows.failStale(
    db,
    'pending',
    before,
    pendingTimeoutDetail(deps.pendingTimeoutMs),
    now,
  )
  const verifying = await hostRows.failStale(
    db,
    'verifying',
    before,
    verifyingTimeoutDetail(deps.pendingTimeoutMs),
    now,
  )
  return pending + verifying
}

/** One ProfileList command for every host with verifying rows not checked recently. */
async function requestChecks(deps: DeliveryJobDeps, db: Db, now: number): Promise<string[]> {
  const due = await hostRows.hostsToCheck(db, now - PROFILE_LIST_INTERVAL_MS, PER_RUN)
  if (due.length === 0) {
    return []
  }
  const command = encodeCommand(randomUUID(), 'ProfileList', { ManagedOnly: true })
  const ids = due.map((d) => d.enrollmentId)
  try {
    await deps.queue.enqueue(ids, command, { push: false })
  } catch (err) {
    deps.log.warn({ err, hosts: ids.length }, 'ProfileList not queued; retried next run')
    return []
  }
  await hostRows.recordChecks(
    db,
    due.map((d) => d.hostUuid),
    command.commandUuid,
    now,
  )
  return ids
}

/**
 * Hosts whose commands wait unanswered are pushed again, the gap doubling from 1 min to 1 h.
 * Enrollments whose last push failed are left to mdm-commands' push retry.
 */
async function repush(db: Db, now: number, pushedNow: ReadonlySet<string>): Promise<string[]> {
  const waiting = await hostRows.waitingEnrollments(db, PER_RUN)
  return waiting
    .filter((w) => !pushedNow.has(w.enrollmentId) && repushDue(w.sentAt, w.lastPushAt, now))
    .map((w) => w.enrollmentId)
}

/**
 * `mdm_apple_profile_manager`: expire what waited too long, reconcile every enrolled host, ask
 * hosts with verifying profiles for their ProfileList, push every host given a command, and push
 * again hosts whose commands wait. Returns counts for the runner's log line, `sql` = statements
 * this feature ran (enqueue adds its own few per command).
 */
export function profileDeliveryJob(deps: DeliveryJobDeps): CronJob {
  return {
    name: 'mdm_apple_profile_manager',
    intervalMs: RECONCILE_INTERVAL_MS,
    async run() {
      const counter = statementCounter()
      const db = deps.db.withPlugin(counter.plugin)
      const now = deps.clock.now().getTime()
      const expired = await expire(deps, db, now)
      const { stats, queued } = await reconcile(deps, db)
      const checks = await requestChecks(deps, db, now)
      const push = new Set([...queued, ...checks])
      const again = await repush(db, now, push)
      const targets = [...push, ...again]
      if (targets.length > 0) {
        await deps.queue.pusher.push(targets)
      }
      return {
        ...stats,
        expired,
        checks: checks.length,
        pushed: push.size,
        repushed: again.length,
        sql: counter.count(),
      }
    },
  }
}
