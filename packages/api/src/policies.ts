import { z } from 'zod'
import { IdParams, ListQuery, PlatformList, Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'

/**
 * Policies: yes/no osquery queries. A host passes when its query returns at least one row, fails
 * on zero rows, and has no response when the query errored. Global policies apply to every host;
 * a team's policies to that team's hosts.
 */

/** Policy SQL is sent to every host it applies to: bounded like label queries. */
export const MAX_POLICY_SQL_LENGTH = 65_536

export const PolicyName = z.string().trim().min(1, 'policy name cannot be empty').max(255)

export const PolicySql = z
  .string()
  .trim()
  .min(1, 'policy query cannot be empty')
  .max(MAX_POLICY_SQL_LENGTH, 'must be at most 64 KiB')

const LongText = z.string().max(65_535)

/** A policy as Fleet shows it; the host counts are refreshed by a periodic job. */
export const Policy = z
  .object({
    id: z.number().int(),
    name: z.string(),
    query: z.string(),
    description: z.string(),
    critical: z.boolean(),
    author_id: z.number().int().nullable(),
    author_name: z.string(),
    author_email: z.string(),
    /** null for a global policy. */
    team_id: z.number().int().nullable(),
    resolution: z.string(),
    platform: z.string(),
    calendar_events_enabled: z.boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
    passing_host_count: z.number().int(),
    failing_host_count: z.number().int(),
    /** When the counts were last computed; null until the first run. */
    host_count_updated_at: Timestamp.nullable(),
  })
  .meta({ id: 'Policy' })
export type Policy = z.infer<typeof Policy>

/** A policy in a host's detail, with that host's response (`''`: no response yet). */
export const HostPolicyJson = Policy.omit({
  passing_host_count: true,
  failing_host_count: true,
  host_count_updated_at: true,
})
  .extend({ response: z.enum(['pass', 'fail', '']) })
  .meta({ id: 'HostPolicy' })
export type HostPolicyJson = z.infer<typeof HostPolicyJson>

export const CreatePolicyRequest = z.object({
  name: PolicyName,
  query: PolicySql,
  description: LongText.default(''),
  resolution: LongText.default(''),
  platform: PlatformList.default(''),
  critical: z.boolean().default(false),
})
export type CreatePolicyRequest = z.output<typeof CreatePolicyRequest>

export const ModifyPolicyRequest = z.object({
  name: PolicyName.optional(),
  query: PolicySql.optional(),
  description: LongText.optional(),
  resolution: LongText.optional(),
  platform: PlatformList.optional(),
  critical: z.boolean().optional(),
})
export type ModifyPolicyRequest = z.output<typeof ModifyPolicyRequest>

/** A policy as written in a `kind: policy` YAML spec; `team` is a team name ('' = global). */
export const PolicySpec = z.object({
  name: PolicyName,
  query: PolicySql,
  description: LongText.default(''),
  resolution: LongText.default(''),
  team: z.string().max(255).default(''),
  platform: PlatformList.default(''),
  critical: z.boolean().default(false),
})
export type PolicySpec = z.output<typeof PolicySpec>

const PolicyListQuery = ListQuery.extend({
  order_key: z
    .enum(['id', 'name', 'created_at', 'updated_at', 'passing_host_count', 'failing_host_count'])
    .optional(),
})
const TeamPolicyListQuery = PolicyListQuery.extend({
  /** Team policies and the global ones in one `policies` list. */
  merge_inherited: z.stringbool().default(false),
})
const CountQuery = z.object({ query: z.string().max(256).optional() })
const TeamPolicyParams = z.object({
  id: z.coerce.number().int().positive(),
  policy_id: z.coerce.number().int().positive(),
})
const DeleteRequest = z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000) })

const PolicyResponse = z.object({ policy: Policy })
const PolicyListResponse = z.object({ policies: z.array(Policy) })
const CountResponse = z.object({ count: z.number().int() })
const DeletedResponse = z.object({ deleted: z.number().int() })

export const listGlobalPolicies = defineEndpoint({
  method: 'GET',
  path: '/policies',
  mount: 'fleet',
  tag: 'Policies',
  summary: 'List global policies with their passing and failing host counts',
  auth: 'user',
  query: PolicyListQuery,
  response: PolicyListResponse,
})

export const countGlobalPolicies = defineEndpoint({
  method: 'GET',
  path: '/policies/count',
  mount: 'fleet',
  tag: 'Policies',
  summary: 'Count global policies (optionally matching a name search)',
  auth: 'user',
  query: CountQuery,
  response: CountResponse,
})

export const getPolicy = defineEndpoint({
  method: 'GET',
  path: '/policies/:id',
  mount: 'fleet',
  tag: 'Policies',
  summary: 'Get a policy',
  auth: 'user',
  params: IdParams,
  response: PolicyResponse,
})

export const createGlobalPolicy = defineEndpoint({
  method: 'POST',
  path: '/policies',
  mount: 'fleet',
  tag: 'Policies',
  summary: 'Create a global policy',
  auth: 'user',
  body: CreatePolicyRequest,
  response: PolicyResponse,
})

export const modifyGlobalPolicy = defineEndpoint({
  method: 'PATCH',
  path: '/policies/:id',
  mount: 'fleet',
  tag: 'Policies',
  summary: 'Modify a global policy (a new query or platform clears its results)',
  auth: 'user',
  params: IdParams,
  body: ModifyPolicyRequest,
  response: PolicyResponse,
})

export const deleteGlobalPolicies = defineEndpoint({
  method: 'POST',
  path: '/policies/delete',
  mount: 'fleet',
  tag: 'Policies',
  summary: 'Delete global policies by id',
  auth: 'user',
  body: DeleteRequest,
  response: DeletedResponse,
})

// Fleet's v1 paths for the global policy endpoints (`/global/policies`), answered identically.

export const listGlobalPoliciesV1 = defineEndpoint({
  ...listGlobalPolicies,
  path: '/global/policies',
  summary: 'List global policies (v1 path of GET /policies)',
})

export const getGlobalPolicyV1 = defineEndpoint({
  ...getPolicy,
  path: '/global/policies/:id',
  summary: 'Get a policy (v1 path of GET /policies/{id})',
})

export const createGlobalPolicyV1 = defineEndpoint({
  ...createGlobalPolicy,
  path: '/global/policies',
  summary: 'Create a global policy (v1 path of POST /policies)',
})

export const modifyGlobalPolicyV1 = defineEndpoint({
  ...modifyGlobalPolicy,
  path: '/global/policies/:id',
  summary: 'Modify a global policy (v1 path of PATCH /policies/{id})',
})

export const deleteGlobalPoliciesV1 = defineEndpoint({
  ...deleteGlobalPolicies,
  path: '/global/policies/delete',
  summary: 'Delete global policies (v1 path of POST /policies/delete)',
})

export const listTeamPolicies = defineEndpoint({
  method: 'GET',
  path: '/teams/:id/policies',
  altPaths: ['/team/:id/policies'],
  mount: 'fleet',
  tag: 'Policies',
  summary: "List a team's policies, and the global policies its hosts inherit",
  auth: 'user',
  params: IdParams,
  query: TeamPolicyListQuery,
  response: PolicyListResponse.extend({
    /** Global policies with counts over the team's hosts; absent with `merge_inherited`. */
    inherited_policies: z.array(Policy).optional(),
  }),
})

export const countTeamPolicies = defineEndpoint({
  method: 'GET',
  path: '/teams/:id/policies/count',
  mount: 'fleet',
  tag: 'Policies',
  summary: "Count a team's policies (with `merge_inherited`, plus the global ones)",
  auth: 'user',
  params: IdParams,
  query: CountQuery.extend({ merge_inherited: z.stringbool().default(false) }),
  response: CountResponse,
})

export const getTeamPolicy = defineEndpoint({
  method: 'GET',
  path: '/teams/:id/policies/:policy_id',
  altPaths: ['/team/:id/policies/:policy_id'],
  mount: 'fleet',
  tag: 'Policies',
  summary: "Get one of a team's policies",
  auth: 'user',
  params: TeamPolicyParams,
  response: PolicyResponse,
})

export const createTeamPolicy = defineEndpoint({
  method: 'POST',
  path: '/teams/:id/policies',
  altPaths: ['/team/:id/policies'],
  mount: 'fleet',
  tag: 'Policies',
  summary: 'Create a team policy',
  auth: 'user',
  params: IdParams,
  body: CreatePolicyRequest,
  response: PolicyResponse,
})

export const modifyTeamPolicy = defineEndpoint({
  method: 'PATCH',
  path: '/teams/:id/policies/:policy_id',
  mount: 'fleet',
  tag: 'Policies',
  summary: 'Modify a team policy (a new query or platform clears its results)',
  auth: 'user',
  params: TeamPolicyParams,
  body: ModifyPolicyRequest,
  response: PolicyResponse,
})

export const deleteTeamPolicies = defineEndpoint({
  method: 'POST',
  path: '/teams/:id/policies/delete',
  altPaths: ['/team/:id/policies/delete'],
  mount: 'fleet',
  tag: 'Policies',
  summary: "Delete a team's policies by id",
  auth: 'user',
  params: IdParams,
  body: DeleteRequest,
  response: DeletedResponse,
})

export const applyPolicySpecs = defineEndpoint({
  method: 'POST',
  path: '/spec/policies',
  mount: 'fleet',
  tag: 'Policies',
  summary: 'Create or update policies by team and name (fleetctl apply)',
  auth: 'user',
  body: z.object({ specs: z.array(PolicySpec).min(1).max(1000) }),
  response: z.object({}),
})

export const resetPolicyAutomations = defineEndpoint({
  method: 'POST',
  path: '/automations/reset',
  mount: 'fleet',
  tag: 'Policies',
  summary: 'Send the failing-policies webhook again for every host now failing these policies',
  auth: 'user',
  body: z.object({
    policy_ids: z.array(z.number().int().positive()).max(10_000).default([]),
    team_ids: z.array(z.number().int().positive()).max(10_000).default([]),
  }),
  response: z.object({}),
})

/** What the failing-policies webhook POSTs, per policy and batch of newly failing hosts. */
export const FailingPolicyWebhookPayload = z.object({
  timestamp: Timestamp,
  policy: Policy,
  hosts: z.array(
    z.object({
      id: z.number().int(),
      hostname: z.string(),
      display_name: z.string(),
      url: z.string(),
    }),
  ),
})
export type FailingPolicyWebhookPayload = z.infer<typeof FailingPolicyWebhookPayload>
