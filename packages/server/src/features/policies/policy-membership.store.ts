import { sql, type ExpressionBuilder } from 'kysely'
import type { Database, Db } from '../../db/database.js'
import type { PolicyResult } from './policy.js'

/**
 * Per-host results (`policy_membership`) and what is computed from them. A host's results count
 * only for the policies that apply to it now (global ones and its current team's): rows left by a
 * team change are ignored here and removed by the counts job.
 */

function toResult(passes: number | null): PolicyResult {
  return passes === null ? null : Number(passes) === 1
}

function toPasses(result: PolicyResult): number | null {
  return result === null ? null : result ? 1 : 0
}

type MembershipScope = ExpressionBuilder<Database, 'policy_membership' | 'policies' | 'hosts'>

/** The policy is global or the host's team's. */
function appliesToHost(eb: MembershipScope) {
  return eb.or([
    eb('policies.team_id', 'is', null),
    eb('policies.team_id', '=', eb.ref('hosts.team_id')),
  ])
}

/** One host's stored results for some policies. */
export async function hostResults(
  db: Db,
  hostId: number,
  policyIds?: readonly number[],
): Promise<Map<number, PolicyResult>> {
  if (policyIds !== undefined && policyIds.length === 0) {
    return new Map()
  }
  let query = db
    .selectFrom('policy_membership')
    .select(['policy_id', 'passes'])
    .where('host_id', '=', hostId)
  if (policyIds !== undefined) {
    query = query.where('policy_id', 'in', [...policyIds])
  }
  const rows = await query.execute()
  return new Map(rows.map((r) => [r.policy_id, toResult(r.passes)]))
}

/** Replaces one host's results for the policies in `results`. */
export async function recordResults(
  db: Db,
  hostId: number,
  results: ReadonlyMap<number, PolicyResult>,
  now: number,
): Promise<void> {
  const ids = [...results.keys()]
  if (ids.length === 0) {
    return
  }
  await db
    .deleteFrom('policy_membership')
    .where('host_id', '=', hostId)
    .where('policy_id', 'in', ids)
    .execute()
  await db
    .insertInto('policy_membership')
    .values(
      [...results].map(([policyId, result]) => ({
        policy_id: policyId,
        host_id: hostId,
        passes: toPasses(result),
        updated_at: now,
      })),
    )
    .execute()
}

/** Forgets every host's result for a policy (its query or platform changed). */
export async function clearResults(db: Db, policyId: number): Promise<void> {
  await db.deleteFrom('policy_membership').where('policy_id', '=', policyId).execute()
  await db.deleteFrom('policy_webhook_queue').where('policy_id', '=', policyId).execute()
}

/** Failing policies per host, among the policies that apply to each (host issues). */
export async function failingCounts(
  db: Db,
  hostIds: readonly number[],
): Promise<Map<number, number>> {
  const counts = new Map<number, number>()
  for (let i = 0; i < hostIds.length; i += 1000) {
    const rows = await db
      .selectFrom('policy_membership')
      .innerJoin('policies', 'policies.id', 'policy_membership.policy_id')
      .innerJoin('hosts', 'hosts.id', 'policy_membership.host_id')
      .select(['policy_membership.host_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('policy_membership.host_id', 'in', hostIds.slice(i, i + 1000))
      .where('policy_membership.passes', '=', 0)
      .where(appliesToHost)
      .groupBy('policy_membership.host_id')
      .execute()
    for (const row of rows) {
      counts.set(row.host_id, Number(row.n))
    }
  }
  return counts
}

/** Results counted per policy and host team (null: hosts on no team), for the counts job. */
export async function countsByPolicyAndTeam(db: Db): Promise<
  {
    policyId: number
    /** The policy's team (null: a global policy). */
    policyTeamId: number | null
    /** The hosts' team (null: no team). */
    teamId: number | null
    passing: number
    failing: number
  }[]
> {
  const rows = await db
    .selectFrom('policy_membership')
    .innerJoin('policies', 'policies.id', 'policy_membership.policy_id')
    .innerJoin('hosts', 'hosts.id', 'policy_membership.host_id')
    .select([
      'policy_membership.policy_id',
      'policies.team_id as policy_team_id',
      'hosts.team_id',
      sql<number>`sum(case when ${sql.ref('policy_membership.passes')} = 1 then 1 else 0 end)`.as(
        'passing',
      ),
      sql<number>`sum(case when ${sql.ref('policy_membership.passes')} = 0 then 1 else 0 end)`.as(
        'failing',
      ),
    ])
    .where(appliesToHost)
    .groupBy(['policy_membership.policy_id', 'policies.team_id', 'hosts.team_id'])
    .execute()
  return rows.map((r) => ({
    policyId: r.policy_id,
    policyTeamId: r.policy_team_id,
    teamId: r.team_id,
    passing: Number(r.passing),
    failing: Number(r.failing),
  }))
}

/** Deletes results of team policies for hosts that left the team. */
export async function deleteStaleResults(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('policy_membership')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom(['policies', 'hosts'])
          .select(sql<number>`1`.as('one'))
          .whereRef('policies.id', '=', 'policy_membership.policy_id')
          .whereRef('hosts.id', '=', 'policy_membership.host_id')
          .where('policies.team_id', 'is not', null)
          .where((inner) =>
            inner.or([
              inner('hosts.team_id', 'is', null),
              inner('hosts.team_id', '!=', inner.ref('policies.team_id')),
            ]),
          ),
      ),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Stores every policy's counts (zero for those no host answered), one row at a time. */
export async function storePolicyCounts(
  db: Db,
  totals: ReadonlyMap<number, { passing: number; failing: number }>,
  now: number,
): Promise<void> {
  const ids = (await db.selectFrom('policies').select('id').execute()).map((r) => r.id)
  for (const id of ids) {
    const total = totals.get(id) ?? { passing: 0, failing: 0 }
    await db
      .updateTable('policies')
      .set({
        passing_host_count: total.passing,
        failing_host_count: total.failing,
        host_count_updated_at: now,
      })
      .where('id', '=', id)
      .execute()
  }
}

/** Replaces the per-team counts of global policies (run it in a transaction). */
export async function replaceTeamCounts(
  db: Db,
  rows: readonly { policyId: number; teamId: number; passing: number; failing: number }[],
  now: number,
): Promise<void> {
  await db.deleteFrom('policy_stats').execute()
  const existing = new Set(
    (await db.selectFrom('policies').select('id').execute()).map((r) => r.id),
  )
  const values = rows
    .filter((r) => existing.has(r.policyId))
    .map((r) => ({
      policy_id: r.policyId,
      team_id: r.teamId,
      passing_host_count: r.passing,
      failing_host_count: r.failing,
      updated_at: now,
    }))
  for (let i = 0; i < values.length; i += 500) {
    await db
      .insertInto('policy_stats')
      .values(values.slice(i, i + 500))
      .execute()
  }
}

/** Hosts now failing a policy that applies to them (for resetting automations). */
export async function failingHostIds(db: Db, policyId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('policy_membership')
    .innerJoin('policies', 'policies.id', 'policy_membership.policy_id')
    .innerJoin('hosts', 'hosts.id', 'policy_membership.host_id')
    .select('policy_membership.host_id')
    .where('policy_membership.policy_id', '=', policyId)
    .where('policy_membership.passes', '=', 0)
    .where(appliesToHost)
    .orderBy('policy_membership.host_id')
    .execute()
  return rows.map((r) => r.host_id)
}
