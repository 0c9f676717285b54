import {
  ErrorCode,
  listLimits,
  type CreatePolicyRequest,
  type ModifyPolicyRequest,
} from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { allowed, authorize } from '../../platform/authz/index.js'
import { isUniqueViolation } from '../../platform/db/index.js'
import { AlreadyExistsError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { publish } from '../../platform/pubsub/index.js'
import { recordActivity } from '../activities/index.js'
import { teamNames } from '../teams/index.js'
import * as store from './policies.store.js'
import type { Policy, PolicyInput } from './policy.js'
import { clearResults } from './policy-membership.store.js'
import { POLICIES_CHANGED } from './policies.channels.js'

export type PolicyDeps = Pick<Deps, 'db' | 'clock' | 'pubsub'>

/** List parameters as the contract parses them. */
export interface PolicyListQuery {
  page?: number
  per_page?: number
  order_key?: store.PolicyOrderKey
  order_direction: 'asc' | 'desc'
  query?: string
}

function pageOf(query: PolicyListQuery) {
  return {
    orderKey: query.order_key ?? 'id',
    direction: query.order_direction,
    ...listLimits(query),
  }
}

async function mustFindTeam(db: Db, teamId: number): Promise<string> {
  const name = (await teamNames(db, [teamId])).get(teamId)
  if (name === undefined) {
    throw new NotFoundError(`team ${teamId}`, ErrorCode.TEAM_NOT_FOUND)
  }
  return name
}

/** The policy, if it exists and belongs to `teamId` (null: global); else 404. */
async function mustFindIn(db: Db, teamId: number | null, id: number): Promise<Policy> {
  const policy = await store.findPolicy(db, id)
  if (!policy || policy.teamId !== teamId) {
    throw new NotFoundError(`policy ${id}`, ErrorCode.POLICY_NOT_FOUND)
  }
  return policy
}

async function checkNameFree(
  db: Db,
  teamId: number | null,
  name: string,
  exceptId?: number,
): Promise<void> {
  const existing = await store.findPolicyByName(db, teamId, name)
  if (existing && existing.id !== exceptId) {
    throw nameTaken(existing.name)
  }
}

function nameTaken(name: string): AlreadyExistsError {
  return new AlreadyExistsError(
    'name',
    `a policy named "${name}" already exists`,
    ErrorCode.POLICY_NAME_EXISTS,
  )
}

function onUniqueViolation(name: string) {
  return (err: unknown): never => {
    throw isUniqueViolation(err) ? nameTaken(name) : err
  }
}

/** Activity details Fleet records for a policy change. */
function details(policy: Pick<Policy, 'id' | 'name' | 'teamId'>, teamName: string | null) {
  return {
    policy_id: policy.id,
    policy_name: policy.name,
    team_id: policy.teamId,
    team_name: teamName,
  }
}

/** Tells every instance's check-in path to reload the policies. */
export async function changed(deps: PolicyDeps): Promise<void> {
  await publish(deps.pubsub, POLICIES_CHANGED, null)
}

/** Global policies, or with `teamId` a team's (the team must exist). */
export async function listPolicies(
  deps: PolicyDeps,
  ctx: RequestCtx,
  teamId: number | null,
  query: PolicyListQuery,
): Promise<Policy[]> {
  authorize(ctx.authz, { type: 'policy', teamId }, 'list')
  if (teamId !== null) {
    await mustFindTeam(deps.db, teamId)
  }
  return store.listPolicies(deps.db, { teams: [teamId], query: query.query }, pageOf(query))
}

/**
 * A team's policies and, apart or merged (`merge_inherited`), the global ones its hosts inherit,
 * with those counted over the team's hosts only. Paging applies to `policies`.
 */
export async function listTeamPolicies(
  deps: PolicyDeps,
  ctx: RequestCtx,
  teamId: number,
  query: PolicyListQuery & { merge_inherited: boolean },
): Promise<{ policies: Policy[]; inherited?: Policy[] }> {
  authorize(ctx.authz, { type: 'policy', teamId }, 'list')
  await mustFindTeam(deps.db, teamId)
  const readsGlobal = allowed(ctx.authz, { type: 'policy', teamId: null }, 'list')
  const stats = await store.teamStats(deps.db, teamId)
  const overTeam = (p: Policy): Policy => {
    if (p.teamId !== null) {
      return p
    }
    const counts = stats.get(p.id)
    return {
      ...p,
      passingHostCount: counts?.passing ?? 0,
      failingHostCount: counts?.failing ?? 0,
      hostCountUpdatedAt: counts?.updatedAt ?? p.hostCountUpdatedAt,
    }
  }
  if (query.merge_inherited) {
    const teams = readsGlobal ? [null, teamId] : [teamId]
    const merged = await store.listPolicies(deps.db, { teams, query: query.query }, pageOf(query))
    return { policies: merged.map(overTeam) }
  }
  const policies = await store.listPolicies(
    deps.db,
    { teams: [teamId], query: query.query },
    pageOf(query),
  )
  const inherited = readsGlobal
    ? await store.listPolicies(deps.db, { teams: [null], query: query.query })
    : []
  return { policies, inherited: inherited.map(overTeam) }
}

export async function countPolicies(
  deps: PolicyDeps,
  ctx: RequestCtx,
  teams: readonly (number | null)[],
  query: string | undefined,
): Promise<number> {
  for (const teamId of teams) {
    authorize(ctx.authz, { type: 'policy', teamId }, 'list')
    if (teamId !== null) {
      await mustFindTeam(deps.db, teamId)
    }
  }
  return store.countPolicies(deps.db, { teams, query })
}

/** Any policy the user may read, by id (global or a team's). */
export async function getPolicy(deps: PolicyDeps, ctx: RequestCtx, id: number): Promise<Policy> {
  const policy = await store.findPolicy(deps.db, id)
  authorize(ctx.authz, { type: 'policy', teamId: policy?.teamId ?? null }, 'read')
  if (!policy) {
    throw new NotFoundError(`policy ${id}`, ErrorCode.POLICY_NOT_FOUND)
  }
  return policy
}

/** One of a team's policies (404 for another team's or a global one). */
export async function getTeamPolicy(
  deps: PolicyDeps,
  ctx: RequestCtx,
  teamId: number,
  id: number,
): Promise<Policy> {
  authorize(ctx.authz, { type: 'policy', teamId }, 'read')
  await mustFindTeam(deps.db, teamId)
  return mustFindIn(deps.db, teamId, id)
}

export async function createPolicy(
  deps: PolicyDeps,
  ctx: RequestCtx,
  teamId: number | null,
  input: CreatePolicyRequest,
): Promise<Policy> {
  authorize(ctx.authz, { type: 'policy', teamId }, 'create')
  const teamName = teamId === null ? null : await mustFindTeam(deps.db, teamId)
  await checkNameFree(deps.db, teamId, input.name)
  const now = deps.clock.now().getTime()
  const policy = await deps.db
    .transaction()
    .execute(async (trx) => {
      const id = await store.insertPolicy(
        trx,
        { ...input, teamId, authorId: ctx.actor?.id ?? null },
        now,
      )
      const created = await mustFindIn(trx, teamId, id)
      await recordActivity(trx, deps.clock, ctx, {
        type: 'created_policy',
        details: details(created, teamName),
      })
      return created
    })
    .catch(onUniqueViolation(input.name))
  await changed(deps)
  return policy
}

/** Applies changes inside a transaction; a new query or platform clears the results. */
async function applyChanges(
  trx: Db,
  policy: Policy,
  changes: Partial<PolicyInput>,
  now: number,
): Promise<void> {
  await store.updatePolicy(trx, policy.id, changes, now)
  const queryChanged = changes.query !== undefined && changes.query !== policy.query
  const platformChanged = changes.platform !== undefined && changes.platform !== policy.platform
  if (queryChanged || platformChanged) {
    await clearResults(trx, policy.id)
    await store.resetCounts(trx, policy.id)
  }
}

export async function modifyPolicy(
  deps: PolicyDeps,
  ctx: RequestCtx,
  teamId: number | null,
  id: number,
  input: ModifyPolicyRequest,
): Promise<Policy> {
  authorize(ctx.authz, { type: 'policy', teamId }, 'write')
  const teamName = teamId === null ? null : await mustFindTeam(deps.db, teamId)
  const policy = await mustFindIn(deps.db, teamId, id)
  if (input.name !== undefined) {
    await checkNameFree(deps.db, teamId, input.name, id)
  }
  const now = deps.clock.now().getTime()
  const updated = await deps.db
    .transaction()
    .execute(async (trx) => {
      await applyChanges(trx, policy, input, now)
      const after = await mustFindIn(trx, teamId, id)
      await recordActivity(trx, deps.clock, ctx, {
        type: 'edited_policy',
        details: details(after, teamName),
      })
      return after
    })
    .catch(onUniqueViolation(input.name ?? policy.name))
  await changed(deps)
  return updated
}

/**
 * Deletes the policies among `ids` that belong to `teamId` (null: global ones); others are left
 * alone, as in Fleet. Resolves with how many were deleted.
 */
export async function deletePolicies(
  deps: PolicyDeps,
  ctx: RequestCtx,
  teamId: number | null,
  ids: readonly number[],
): Promise<number> {
  authorize(ctx.authz, { type: 'policy', teamId }, 'delete')
  const teamName = teamId === null ? null : await mustFindTeam(deps.db, teamId)
  const policies = (
    await store.listPolicies(
      deps.db,
      { teams: [teamId] },
      { orderKey: 'id', direction: 'asc', offset: 0 },
    )
  ).filter((p) => ids.includes(p.id))
  if (policies.length === 0) {
    return 0
  }
  await deps.db.transaction().execute(async (trx) => {
    await store.deletePolicies(
      trx,
      policies.map((p) => p.id),
    )
    for (const policy of policies) {
      await recordActivity(trx, deps.clock, ctx, {
        type: 'deleted_policy',
        details: details(policy, teamName),
      })
    }
  })
  await changed(deps)
  return policies.length
}
