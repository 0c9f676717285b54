import type { Expression, ExpressionBuilder, Selectable, SqlBool } from 'kysely'
import type { Database, Db } from '../../db/database.js'
import { insertReturningId, lowerContains, lowerEquals, withPage } from '../../platform/db/index.js'
import type { PoliciesTable } from './policies.table.js'
import type { Policy, PolicyInput, PolicyQuery } from './policy.js'

type PolicyRow = Selectable<PoliciesTable> & {
  author_name: string | null
  author_email: string | null
}

function toPolicy(row: PolicyRow): Policy {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    teamId: row.team_id,
    name: row.name,
    query: row.query,
    description: row.description,
    resolution: row.resolution,
    platform: row.platform,
    critical: Number(row.critical) === 1,
    calendarEventsEnabled: Number(row.calendar_events_enabled) === 1,
    authorId: row.author_id,
    authorName: row.author_name ?? '',
    authorEmail: row.author_email ?? '',
    passingHostCount: Number(row.passing_host_count),
    failingHostCount: Number(row.failing_host_count),
    hostCountUpdatedAt:
      row.host_count_updated_at === null ? null : Number(row.host_count_updated_at),
  }
}

/** Policies with their author's name and email (reads the users table). */
function selectPolicies(db: Db) {
  return db
    .selectFrom('policies')
    .leftJoin('users', 'users.id', 'policies.author_id')
    .selectAll('policies')
    .select(['users.name as author_name', 'users.email as author_email'])
}

export async function findPolicy(db: Db, id: number): Promise<Policy | undefined> {
  const row = await selectPolicies(db).where('policies.id', '=', id).executeTakeFirst()
  return row && toPolicy(row)
}

/** The policy of a team (null: global) with this name, regardless of case. */
export async function findPolicyByName(
  db: Db,
  teamId: number | null,
  name: string,
): Promise<Policy | undefined> {
  const row = await selectPolicies(db)
    .where('policies.team_key', '=', teamId ?? 0)
    .where((eb) => lowerEquals(eb.ref('policies.name'), name))
    .executeTakeFirst()
  return row && toPolicy(row)
}

export type PolicyOrderKey =
  'id' | 'name' | 'created_at' | 'updated_at' | 'passing_host_count' | 'failing_host_count'

/** Which policies a listing covers: those of these scopes (null: the global ones). */
export interface PolicyScope {
  teams: readonly (number | null)[]
  query?: string
}

function inScope(eb: ExpressionBuilder<Database, 'policies'>, scope: PolicyScope) {
  const teamIds = scope.teams.filter((t): t is number => t !== null)
  const teams: Expression<SqlBool>[] = []
  if (scope.teams.includes(null)) {
    teams.push(eb('policies.team_id', 'is', null))
  }
  if (teamIds.length > 0) {
    teams.push(eb('policies.team_id', 'in', teamIds))
  }
  const conditions: Expression<SqlBool>[] = [teams.length > 0 ? eb.or(teams) : eb.lit(false)]
  if (scope.query) {
    conditions.push(lowerContains(eb.ref('policies.name'), scope.query))
  }
  return eb.and(conditions)
}

export async function listPolicies(
  db: Db,
  scope: PolicyScope,
  page: { orderKey: PolicyOrderKey; direction: 'asc' | 'desc'; offset: number; limit?: number } = {
    orderKey: 'id',
    direction: 'asc',
    offset: 0,
  },
): Promise<Policy[]> {
  let query = selectPolicies(db)
    .where((eb) => inScope(eb, scope))
    .orderBy(`policies.${page.orderKey}`, page.direction)
    .orderBy('policies.id', page.direction)
  query = withPage(query, page)
  return (await query.execute()).map(toPolicy)
}

export async function countPolicies(db: Db, scope: PolicyScope): Promise<number> {
  const row = await db
    .selectFrom('policies')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => inScope(eb, scope))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Which of `ids` are policies (one may be deleted while a host answers it). */
export async function existingPolicyIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) {
    return new Set()
  }
  const rows = await db
    .selectFrom('policies')
    .select('id')
    .where('id', 'in', [...ids])
    .execute()
  return new Set(rows.map((r) => r.id))
}

/** Every policy's query, for the check-in path's in-memory copy. */
export async function allPolicyQueries(db: Db): Promise<PolicyQuery[]> {
  const rows = await db
    .selectFrom('policies')
    .select(['id', 'team_id', 'query', 'platform', 'updated_at'])
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    teamId: r.team_id,
    query: r.query,
    platform: r.platform,
    updatedAt: Number(r.updated_at),
  }))
}

export async function insertPolicy(
  db: Db,
  policy: PolicyInput & { teamId: number | null; authorId: number | null },
  now: number,
): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('policies').values({
      created_at: now,
      updated_at: now,
      team_id: policy.teamId,
      team_key: policy.teamId ?? 0,
      name: policy.name,
      query: policy.query,
      description: policy.description,
      resolution: policy.resolution,
      platform: policy.platform,
      critical: policy.critical ? 1 : 0,
      author_id: policy.authorId,
    }),
  )
}

export async function updatePolicy(
  db: Db,
  id: number,
  changes: Partial<PolicyInput>,
  now: number,
): Promise<void> {
  await db
    .updateTable('policies')
    .set({
      updated_at: now,
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.query !== undefined && { query: changes.query }),
      ...(changes.description !== undefined && { description: changes.description }),
      ...(changes.resolution !== undefined && { resolution: changes.resolution }),
      ...(changes.platform !== undefined && { platform: changes.platform }),
      ...(changes.critical !== undefined && { critical: changes.critical ? 1 : 0 }),
    })
    .where('id', '=', id)
    .execute()
}

/** Forgets a policy's host counts (after its query or platform changed). */
export async function resetCounts(db: Db, id: number): Promise<void> {
  await db
    .updateTable('policies')
    .set({ passing_host_count: 0, failing_host_count: 0, host_count_updated_at: null })
    .where('id', '=', id)
    .execute()
  await db.deleteFrom('policy_stats').where('policy_id', '=', id).execute()
}

export async function deletePolicies(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) {
    await db
      .deleteFrom('policies')
      .where('id', 'in', [...ids])
      .execute()
  }
}

/** Host counts of global policies over one team's hosts. */
export async function teamStats(
  db: Db,
  teamId: number,
): Promise<Map<number, { passing: number; failing: number; updatedAt: number }>> {
  const rows = await db
    .selectFrom('policy_stats')
    .selectAll()
    .where('team_id', '=', teamId)
    .execute()
  return new Map(
    rows.map((r) => [
      r.policy_id,
      {
        passing: Number(r.passing_host_count),
        failing: Number(r.failing_host_count),
        updatedAt: Number(r.updated_at),
      },
    ]),
  )
}
