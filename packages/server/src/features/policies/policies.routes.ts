import {
  applyPolicySpecs,
  countGlobalPolicies,
  countTeamPolicies,
  createGlobalPolicy,
  createGlobalPolicyV1,
  createTeamPolicy,
  deleteGlobalPolicies,
  deleteGlobalPoliciesV1,
  deleteTeamPolicies,
  getGlobalPolicyV1,
  getPolicy,
  getTeamPolicy,
  listGlobalPolicies,
  listGlobalPoliciesV1,
  listTeamPolicies,
  modifyGlobalPolicy,
  modifyGlobalPolicyV1,
  modifyTeamPolicy,
  resetPolicyAutomations,
} from '@fleet/api'
import type { Deps } from '../../deps.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import * as service from './policies.service.js'
import type { Policy } from './policy.js'
import { presentPolicy } from './policy-present.js'
import * as specs from './policy-specs.service.js'
import type { WebhookSettingsSource } from './webhook-settings.js'

const one = (policy: Policy) => ({ policy: presentPolicy(policy) })
const many = (policies: readonly Policy[]) => policies.map(presentPolicy)

/** Policy CRUD (global, `/global` v1 paths, and per team), specs, and automation resets. */
export function registerPolicyRoutes(
  r: EndpointRegistrar,
  { deps, webhooks }: { deps: Deps; webhooks: WebhookSettingsSource },
): void {
  for (const endpoint of [listGlobalPolicies, listGlobalPoliciesV1]) {
    registerEndpoint(r, endpoint, async ({ query }, ctx) => ({
      policies: many(await service.listPolicies(deps, ctx, null, query)),
    }))
  }
  registerEndpoint(r, countGlobalPolicies, async ({ query }, ctx) => ({
    count: await service.countPolicies(deps, ctx, [null], query.query),
  }))
  for (const endpoint of [getPolicy, getGlobalPolicyV1]) {
    registerEndpoint(r, endpoint, async ({ params }, ctx) =>
      one(await service.getPolicy(deps, ctx, params.id)),
    )
  }
  for (const endpoint of [createGlobalPolicy, createGlobalPolicyV1]) {
    registerEndpoint(r, endpoint, async ({ body }, ctx) =>
      one(await service.createPolicy(deps, ctx, null, body)),
    )
  }
  for (const endpoint of [modifyGlobalPolicy, modifyGlobalPolicyV1]) {
    registerEndpoint(r, endpoint, async ({ params, body }, ctx) =>
      one(await service.modifyPolicy(deps, ctx, null, params.id, body)),
    )
  }
  for (const endpoint of [deleteGlobalPolicies, deleteGlobalPoliciesV1]) {
    registerEndpoint(r, endpoint, async ({ body }, ctx) => ({
      deleted: await service.deletePolicies(deps, ctx, null, body.ids),
    }))
  }

  registerEndpoint(r, listTeamPolicies, async ({ params, query }, ctx) => {
    const { policies, inherited } = await service.listTeamPolicies(deps, ctx, params.id, query)
    return {
      policies: many(policies),
      ...(inherited !== undefined && { inherited_policies: many(inherited) }),
    }
  })
  registerEndpoint(r, countTeamPolicies, async ({ params, query }, ctx) => ({
    count: await service.countPolicies(
      deps,
      ctx,
      query.merge_inherited ? [null, params.id] : [params.id],
      query.query,
    ),
  }))
  registerEndpoint(r, getTeamPolicy, async ({ params }, ctx) =>
    one(await service.getTeamPolicy(deps, ctx, params.id, params.policy_id)),
  )
  registerEndpoint(r, createTeamPolicy, async ({ params, body }, ctx) =>
    one(await service.createPolicy(deps, ctx, params.id, body)),
  )
  registerEndpoint(r, modifyTeamPolicy, async ({ params, body }, ctx) =>
    one(await service.modifyPolicy(deps, ctx, params.id, params.policy_id, body)),
  )
  registerEndpoint(r, deleteTeamPolicies, async ({ params, body }, ctx) => ({
    deleted: await service.deletePolicies(deps, ctx, params.id, body.ids),
  }))

  registerEndpoint(r, applyPolicySpecs, async ({ body }, ctx) => {
    await specs.applyPolicySpecs(deps, ctx, body.specs)
    return {}
  })
  registerEndpoint(r, resetPolicyAutomations, async ({ body }, ctx) => {
    await specs.resetAutomations(deps, ctx, webhooks, body)
    return {}
  })
}
