import type { Db } from '../../db/database.js'

/** The hosts waiting to be sent to the failing-policies webhook, per policy. */

/** Adds hosts to a policy's queue (those already queued stay as they are). */
export async function enqueueHosts(
  db: Db,
  policyId: number,
  hostIds: readonly number[],
  now: number,
): Promise<void> {
  for (let i = 0; i < hostIds.length; i += 500) {
    const chunk = hostIds.slice(i, i + 500)
    const queued = new Set(
      (
        await db
          .selectFrom('policy_webhook_queue')
          .select('host_id')
          .where('policy_id', '=', policyId)
          .where('host_id', 'in', chunk)
          .execute()
      ).map((r) => r.host_id),
    )
    const fresh = [...new Set(chunk)].filter((id) => !queued.has(id))
    if (fresh.length > 0) {
      await db
        .insertInto('policy_webhook_queue')
        .values(fresh.map((hostId) => ({ policy_id: policyId, host_id: hostId, queued_at: now })))
        .execute()
    }
  }
}

/** Removes hosts from a policy's queue (sent, or passing again). */
export async function dequeueHosts(
  db: Db,
  policyId: number,
  hostIds: readonly number[],
): Promise<void> {
  for (let i = 0; i < hostIds.length; i += 1000) {
    await db
      .deleteFrom('policy_webhook_queue')
      .where('policy_id', '=', policyId)
      .where('host_id', 'in', hostIds.slice(i, i + 1000))
      .execute()
  }
}

/** Removes one host from the queues of some policies (it passes them again). */
export async function dequeueHost(
  db: Db,
  hostId: number,
  policyIds: readonly number[],
): Promise<void> {
  if (policyIds.length > 0) {
    await db
      .deleteFrom('policy_webhook_queue')
      .where('host_id', '=', hostId)
      .where('policy_id', 'in', [...policyIds])
      .execute()
  }
}

/** Empties a policy's queue (its automation was turned off). */
export async function dropQueue(db: Db, policyId: number): Promise<void> {
  await db.deleteFrom('policy_webhook_queue').where('policy_id', '=', policyId).execute()
}

/** Policies with queued hosts. */
export async function queuedPolicyIds(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('policy_webhook_queue')
    .select('policy_id')
    .distinct()
    .orderBy('policy_id')
    .execute()
  return rows.map((r) => r.policy_id)
}

export interface QueuedHost {
  id: number
  hostname: string
  computerName: string
}

/** A policy's queued hosts in id order (reads the hosts table for their names). */
export async function queuedHosts(db: Db, policyId: number): Promise<QueuedHost[]> {
  const rows = await db
    .selectFrom('policy_webhook_queue')
    .innerJoin('hosts', 'hosts.id', 'policy_webhook_queue.host_id')
    .select(['hosts.id', 'hosts.hostname', 'hosts.computer_name'])
    .where('policy_webhook_queue.policy_id', '=', policyId)
    .orderBy('hosts.id')
    .execute()
  return rows.map((r) => ({ id: r.id, hostname: r.hostname, computerName: r.computer_name }))
}
