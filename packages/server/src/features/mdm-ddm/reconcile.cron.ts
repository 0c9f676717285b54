import { randomUUID } from 'node:crypto'
import type { Deps } from '../../deps.js'
import type { CronJob } from '../../platform/cron-job.js'
import { transactionWithRetry } from '../../platform/db/index.js'
import { encodeCommand, type CommandQueue } from '../mdm-commands/index.js'
import { expireStuckRows, stillEnrolled, syncRetriesDue } from './pending-timeout.js'
import { planDeclarations } from './reconcile-plan.js'
import * as store from './reconcile.store.js'

export interface ReconcileDeps {
  deps: Pick<Deps, 'db' | 'clock' | 'log'>
  queue: CommandQueue
  /** `mdm.apple_profile_pending_timeout`: pending/verifying rows older than this fail. */
  pendingTimeoutMs: number
}

/** How often the cron runs (Fleet runs it with the profile manager, every 30 s). */
export const RECONCILE_INTERVAL_MS = 30_000

/**
 * Queues ONE `DeclarativeManagement` command for all these enrollments (a queue row each) and
 * pushes them; then records the request for the retry back-off.
 */
export async function requestSync(
  s: ReconcileDeps,
  targets: readonly { hostUuid: string; enrollmentId: string; attempts: number }[],
  c: store.StatementCounter,
): Promise<void> {
  if (targets.length === 0) {
    return
  }
  await s.queue.enqueue(
    targets.map((t) => t.enrollmentId),
    encodeCommand(randomUUID().toUpperCase(), 'DeclarativeManagement'),
  )
  c.statements += 3 // the command, its queue rows, the push bookkeeping (at least)
  await store.recordSyncRequests(s.deps.db, targets, s.deps.clock.now().getTime(), c)
}

/**
 * ReconcileAppleDeclarations (reference §4.4 item 1): rows stuck past the pending timeout fail;
 * desired declarations of every enrolled Apple host against its rows, the changes written in
 * batches in one transaction; then one DeclarativeManagement command for every host that
 * changed, awaits a resync, or is due a retry (silent since it was last asked).
 */
export async function reconcileDeclarations(s: ReconcileDeps): Promise<Record<string, number>> {
  const c: store.StatementCounter = { statements: 0 }
  const now = s.deps.clock.now().getTime()
  const expired = await expireStuckRows(s.deps.db, s.pendingTimeoutMs, now, c)
  const { plan, hosts } = await transactionWithRetry(s.deps.db, async (trx) => {
    const declarations = await store.loadDeclarations(trx, c)
    const labelIds = [
      ...new Set(declarations.flatMap((d) => d.labels.flatMap((l) => l.labelId ?? []))),
    ]
    const hosts = await store.loadHosts(trx, labelIds, c)
    const plan = planDeclarations(hosts, declarations, await store.loadRows(trx, c))
    await store.deleteRows(trx, plan.deletes, c)
    await store.upsertRows(trx, plan.upserts, now, c)
    return { plan, hosts }
  })
  const resync = new Set(await store.hostsToResync(s.deps.db, c))
  const enrollmentOf = new Map(hosts.map((h) => [h.uuid, h.enrollmentId]))
  const fresh = [...new Set([...plan.changedHosts, ...resync])].flatMap((hostUuid) => {
    const enrollmentId = enrollmentOf.get(hostUuid)
    return enrollmentId ? [{ hostUuid, enrollmentId, attempts: 1 }] : []
  })
  const freshHosts = new Set(fresh.map((t) => t.hostUuid))
  // Hosts silent since they were asked: asked again, with a doubling gap.
  const retries = await stillEnrolled(
    s.deps.db,
    (await syncRetriesDue(s.deps.db, now, c)).filter((t) => !freshHosts.has(t.hostUuid)),
    c,
  )
  const targets = [...fresh, ...retries]
  await requestSync(s, targets, c)
  await store.clearResync(
    s.deps.db,
    targets.map((t) => t.hostUuid).filter((h) => resync.has(h)),
    c,
  )
  const result = {
    hosts: hosts.length,
    rows_written: plan.upserts.length + plan.deletes.length,
    hosts_synced: fresh.length,
    sync_retries: retries.length,
    expired,
    statements: c.statements,
  }
  if (result.rows_written > 0 || targets.length > 0 || expired > 0) {
    s.deps.log.info(result, 'DDM declarations reconciled')
  }
  return result
}

/** The cron job (`mdm_apple_reconcile_declarations`). */
export function reconcileDeclarationsJob(s: ReconcileDeps): CronJob {
  return {
    name: 'mdm_apple_reconcile_declarations',
    intervalMs: RECONCILE_INTERVAL_MS,
    run: () => reconcileDeclarations(s),
  }
}
