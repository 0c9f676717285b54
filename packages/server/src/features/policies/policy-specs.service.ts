import { ErrorCode, type PolicySpec } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import { teamExists, teamIdByName } from '../teams/index.js'
import { changed, type PolicyDeps } from './policies.service.js'
import * as store from './policies.store.js'
import { webhookCovers, type Policy } from './policy.js'
import { clearResults, failingHostIds } from './policy-membership.store.js'
import { enqueueHosts } from './policy-webhook.store.js'
import type { WebhookSettingsSource } from './webhook-settings.js'

/**
 * `fleetctl apply` of policy specs: each spec names its team (empty: global); a policy with that
 * name in that team is updated, otherwise one is created. A new query or platform clears the
 * policy's results. All specs apply in one transaction, audited as one `applied_spec_policy`.
 */
export async function applyPolicySpecs(
  deps: PolicyDeps,
  ctx: RequestCtx,
  specs: readonly PolicySpec[],
): Promise<void> {
  const prepared: { spec: PolicySpec; teamId: number | null }[] = []
  for (const [index, spec] of specs.entries()) {
    const name = spec.team.trim()
    const teamId = name === '' ? null : await teamIdByName(deps.db, name, { ignoreCase: true })
    authorize(ctx.authz, { type: 'policy', teamId: teamId ?? null }, 'write')
    if (teamId === undefined) {
      throw InvalidArgumentError.field(`specs.${index}.team`, `team "${name}" does not exist`)
    }
    prepared.push({ spec, teamId })
  }
  const now = deps.clock.now().getTime()
  await deps.db.transaction().execute(async (trx) => {
    for (const { spec, teamId } of prepared) {
      const input = {
        name: spec.name,
        query: spec.query,
        description: spec.description,
        resolution: spec.resolution,
        platform: spec.platform,
        critical: spec.critical,
      }
      const existing = await store.findPolicyByName(trx, teamId, spec.name)
      if (!existing) {
        await store.insertPolicy(trx, { ...input, teamId, authorId: ctx.actor?.id ?? null }, now)
        continue
      }
      await store.updatePolicy(trx, existing.id, input, now)
      if (existing.query !== input.query || existing.platform !== input.platform) {
        await clearResults(trx, existing.id)
        await store.resetCounts(trx, existing.id)
      }
    }
    await recordActivity(trx, deps.clock, ctx, {
      type: 'applied_spec_policy',
      details: { policies: specs },
    })
  })
  await changed(deps)
}

/**
 * Re-triggers the failing-policies webhook: every host now failing one of the policies (those
 * named, and every policy of the teams named) is queued again, for the policies whose webhook is
 * on. Global policies need the right to edit the app config, a team's the right to edit the team
 * (Fleet's "manage policy automations").
 */
export async function resetAutomations(
  deps: Pick<Deps, 'db' | 'clock'>,
  ctx: RequestCtx,
  webhooks: WebhookSettingsSource,
  input: { policy_ids: readonly number[]; team_ids: readonly number[] },
): Promise<void> {
  const policies: Policy[] = []
  for (const teamId of input.team_ids) {
    authorize(ctx.authz, { type: 'team', teamId }, 'write')
    if (!(await teamExists(deps.db, teamId))) {
      throw new NotFoundError(`team ${teamId}`, ErrorCode.TEAM_NOT_FOUND)
    }
    policies.push(...(await store.listPolicies(deps.db, { teams: [teamId] })))
  }
  for (const id of input.policy_ids) {
    const policy = await store.findPolicy(deps.db, id)
    authorize(
      ctx.authz,
      policy?.teamId ? { type: 'team', teamId: policy.teamId } : { type: 'app_config' },
      'write',
    )
    if (!policy) {
      throw new NotFoundError(`policy ${id}`, ErrorCode.POLICY_NOT_FOUND)
    }
    policies.push(policy)
  }
  if (policies.length === 0) {
    authorize(ctx.authz, { type: 'policy', teamId: null }, 'read')
    return
  }
  const now = deps.clock.now().getTime()
  const seen = new Set<number>()
  for (const policy of policies) {
    if (
      seen.has(policy.id) ||
      !webhookCovers(await webhooks.webhookFor(policy.teamId), policy.id)
    ) {
      continue
    }
    seen.add(policy.id)
    await enqueueHosts(deps.db, policy.id, await failingHostIds(deps.db, policy.id), now)
  }
}
