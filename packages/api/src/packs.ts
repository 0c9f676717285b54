import { z } from 'zod'
import { IdParams, ListQuery, PlatformList, Timestamp } from './common.js'
import { SINCE_2022_04, V1_ONLY, defineEndpoint } from './contract.js'
import { MAX_QUERY_INTERVAL, MinOsqueryVersion, QueryStats } from './queries.js'

/**
 * 2017-style query packs (deprecated in Fleet, still routed and used by `fleetctl get packs` and
 * `apply` of `kind: pack`): a named set of global queries scheduled on the hosts of its target
 * labels, teams and hosts. Pack queries are "scheduled queries" (`scheduled_queries` in Fleet).
 */

const PackName = z.string().trim().min(1, 'pack name cannot be empty').max(255)
const IdList = z.array(z.number().int().positive()).max(10_000)

/** osquery's scheduled-query interval, 1 s to one week (Fleet's `MaxScheduledQueryInterval`). */
export const PackQueryInterval = z
  .number({ error: 'must be a whole number of seconds' })
  .int('must be a whole number of seconds')
  .min(1, 'pack scheduled query interval must be an integer greater than 1 and less than 604800')
  .max(
    MAX_QUERY_INTERVAL,
    'pack scheduled query interval must be an integer greater than 1 and less than 604800',
  )

/** osquery's `shard`: the percentage (0-100) of hosts that run the query; null for all. */
const Shard = z.number().int().min(0).max(100).nullable()

export const Pack = z
  .object({
    created_at: Timestamp,
    updated_at: Timestamp,
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    platform: z.string(),
    disabled: z.boolean(),
    /** Fleet's system packs have a type; every pack here is a user pack (null). */
    type: z.string().nullable(),
    label_ids: z.array(z.number().int()),
    host_ids: z.array(z.number().int()),
    team_ids: z.array(z.number().int()),
    query_count: z.number().int(),
    total_hosts_count: z.number().int(),
  })
  .meta({ id: 'Pack' })
export type Pack = z.infer<typeof Pack>

/** A query scheduled in a pack, or (global and team schedule) a saved query with an interval. */
export const ScheduledQuery = z
  .object({
    created_at: Timestamp,
    updated_at: Timestamp,
    id: z.number().int(),
    /** 0 for the global and team schedules (they are saved queries, not pack entries). */
    pack_id: z.number().int(),
    name: z.string(),
    query_id: z.number().int(),
    query_name: z.string(),
    query: z.string(),
    description: z.string(),
    interval: z.number().int(),
    snapshot: z.boolean().nullable(),
    removed: z.boolean().nullable(),
    platform: z.string().nullable(),
    version: z.string().nullable(),
    shard: z.number().int().nullable(),
    denylist: z.boolean().nullable(),
    stats: QueryStats,
  })
  .meta({ id: 'ScheduledQuery' })
export type ScheduledQuery = z.infer<typeof ScheduledQuery>

/** Fleet's `PackPayload`: create takes a name, every field is optional on PATCH. */
export const ModifyPackRequest = z.object({
  name: PackName.optional(),
  description: z.string().max(65_535).optional(),
  platform: PlatformList.optional(),
  disabled: z.boolean().optional(),
  host_ids: IdList.nullable().optional(),
  label_ids: IdList.nullable().optional(),
  team_ids: IdList.nullable().optional(),
})
export type ModifyPackRequest = z.output<typeof ModifyPackRequest>

export const CreatePackRequest = ModifyPackRequest.extend({ name: PackName })
export type CreatePackRequest = z.output<typeof CreatePackRequest>

/** Fleet's `ScheduledQueryPayload`, as PATCH takes it (every field optional). */
export const ModifyScheduledQueryRequest = z.object({
  interval: PackQueryInterval.optional(),
  snapshot: z.boolean().nullable().optional(),
  removed: z.boolean().nullable().optional(),
  platform: PlatformList.nullable().optional(),
  version: MinOsqueryVersion.nullable().optional(),
  shard: Shard.optional(),
  denylist: z.boolean().nullable().optional(),
})
export type ModifyScheduledQueryRequest = z.output<typeof ModifyScheduledQueryRequest>

/** Adds a global query to a pack; the entry is named after the query (`-1` added until unique). */
export const ScheduleQueryRequest = ModifyScheduledQueryRequest.extend({
  pack_id: z.number().int().positive(),
  query_id: z.number().int().positive(),
  interval: PackQueryInterval,
})
export type ScheduleQueryRequest = z.output<typeof ScheduleQueryRequest>

/** One query of a `kind: pack` spec; `query` names a global saved query, `name` the entry. */
export const PackSpecQuery = z.object({
  query: z.string().trim().min(1, 'cannot be empty').max(255),
  name: z.string().trim().max(255).default(''),
  description: z.string().max(65_535).default(''),
  interval: PackQueryInterval,
  snapshot: z.boolean().nullable().optional(),
  removed: z.boolean().nullable().optional(),
  shard: Shard.optional(),
  platform: PlatformList.nullable().optional(),
  version: MinOsqueryVersion.nullable().optional(),
  denylist: z.boolean().nullable().optional(),
})
export type PackSpecQuery = z.output<typeof PackSpecQuery>

/** A `kind: pack` spec (Fleet's `PackSpec`): targets by label and team name. */
export const PackSpec = z.object({
  id: z.number().int().optional(),
  name: PackName,
  description: z.string().max(65_535).default(''),
  platform: PlatformList.default(''),
  disabled: z.boolean().default(false),
  targets: z
    .object({
      labels: z.array(z.string().min(1).max(255)).max(10_000).nullable().default(null),
      teams: z.array(z.string().min(1).max(255)).max(10_000).nullable().default(null),
    })
    .default({ labels: null, teams: null }),
  queries: z.array(PackSpecQuery).max(10_000).nullable().default(null),
})
export type PackSpec = z.output<typeof PackSpec>

/** A stored pack as a spec (GET /spec/packs). */
export const PackSpecJson = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  platform: z.string(),
  disabled: z.boolean(),
  targets: z.object({ labels: z.array(z.string()), teams: z.array(z.string()) }),
  queries: z.array(
    z.object({
      query: z.string(),
      name: z.string(),
      description: z.string(),
      interval: z.number().int(),
      snapshot: z.boolean().optional(),
      removed: z.boolean().optional(),
      shard: z.number().int().optional(),
      platform: z.string().optional(),
      version: z.string().optional(),
      denylist: z.boolean().optional(),
    }),
  ),
})
export type PackSpecJson = z.infer<typeof PackSpecJson>

const PackResponse = z.object({ pack: Pack })
const ScheduledResponse = z.object({ scheduled: ScheduledQuery })
const NameParams = z.object({ name: z.string().min(1).max(255) })

export const listPacks = defineEndpoint({
  method: 'GET',
  path: '/packs',
  mount: 'fleet',
  tag: 'Packs',
  summary: 'List packs (deprecated)',
  auth: 'user',
  query: ListQuery.extend({
    order_key: z.enum(['id', 'name', 'created_at', 'updated_at']).optional(),
  }),
  response: z.object({ packs: z.array(Pack) }),
})

export const getPack = defineEndpoint({
  method: 'GET',
  path: '/packs/:id',
  mount: 'fleet',
  tag: 'Packs',
  summary: 'Get a pack (deprecated)',
  auth: 'user',
  params: IdParams,
  response: PackResponse,
})

export const createPack = defineEndpoint({
  method: 'POST',
  path: '/packs',
  mount: 'fleet',
  tag: 'Packs',
  summary: 'Create a pack (deprecated)',
  auth: 'user',
  body: CreatePackRequest,
  response: PackResponse,
})

export const modifyPack = defineEndpoint({
  method: 'PATCH',
  path: '/packs/:id',
  mount: 'fleet',
  tag: 'Packs',
  summary: "Change a pack's fields or targets (deprecated)",
  auth: 'user',
  params: IdParams,
  body: ModifyPackRequest,
  response: PackResponse,
})

export const deletePackByName = defineEndpoint({
  method: 'DELETE',
  path: '/packs/:name',
  mount: 'fleet',
  tag: 'Packs',
  summary: 'Delete a pack by name (deprecated)',
  auth: 'user',
  params: NameParams,
  response: z.object({}),
})

export const deletePackById = defineEndpoint({
  method: 'DELETE',
  path: '/packs/id/:id',
  mount: 'fleet',
  tag: 'Packs',
  summary: 'Delete a pack by id (deprecated)',
  auth: 'user',
  params: IdParams,
  response: z.object({}),
})

export const listPackScheduledQueries = defineEndpoint({
  method: 'GET',
  path: '/packs/:id/scheduled',
  mount: 'fleet',
  tag: 'Packs',
  summary: "A pack's scheduled queries (deprecated)",
  auth: 'user',
  params: IdParams,
  response: z.object({ scheduled: z.array(ScheduledQuery) }),
})

/** `POST /packs/schedule` from 2022-04 on; v1 called it `POST /schedule`. */
export const scheduleQuery = defineEndpoint({
  method: 'POST',
  path: '/packs/schedule',
  mount: 'fleet',
  tag: 'Packs',
  summary: 'Add a query to a pack (deprecated)',
  auth: 'user',
  versions: SINCE_2022_04,
  body: ScheduleQueryRequest,
  response: ScheduledResponse,
})

export const scheduleQueryV1 = defineEndpoint({
  ...scheduleQuery,
  path: '/schedule',
  summary: 'Add a query to a pack (v1 path, deprecated)',
  versions: V1_ONLY,
})

export const getScheduledQuery = defineEndpoint({
  method: 'GET',
  path: '/schedule/:id',
  mount: 'fleet',
  tag: 'Packs',
  summary: "A pack's scheduled query (deprecated)",
  auth: 'user',
  params: IdParams,
  response: ScheduledResponse,
})

export const modifyScheduledQuery = defineEndpoint({
  method: 'PATCH',
  path: '/packs/schedule/:id',
  mount: 'fleet',
  tag: 'Packs',
  summary: "Change a pack's scheduled query (deprecated)",
  auth: 'user',
  versions: SINCE_2022_04,
  params: IdParams,
  body: ModifyScheduledQueryRequest,
  response: ScheduledResponse,
})

export const modifyScheduledQueryV1 = defineEndpoint({
  ...modifyScheduledQuery,
  path: '/schedule/:id',
  summary: "Change a pack's scheduled query (v1 path, deprecated)",
  versions: V1_ONLY,
})

export const deleteScheduledQuery = defineEndpoint({
  method: 'DELETE',
  path: '/packs/schedule/:id',
  mount: 'fleet',
  tag: 'Packs',
  summary: 'Remove a query from a pack (deprecated)',
  auth: 'user',
  versions: SINCE_2022_04,
  params: IdParams,
  response: z.object({}),
})

export const deleteScheduledQueryV1 = defineEndpoint({
  ...deleteScheduledQuery,
  path: '/schedule/:id',
  summary: 'Remove a query from a pack (v1 path, deprecated)',
  versions: V1_ONLY,
})

export const applyPackSpecs = defineEndpoint({
  method: 'POST',
  path: '/spec/packs',
  mount: 'fleet',
  tag: 'Packs',
  summary: 'Create or replace packs from specs (fleetctl apply, kind: pack)',
  auth: 'user',
  body: z.object({ specs: z.array(PackSpec).max(1000) }),
  response: z.object({}),
})

export const getPackSpecs = defineEndpoint({
  method: 'GET',
  path: '/spec/packs',
  mount: 'fleet',
  tag: 'Packs',
  summary: 'Every pack as a spec',
  auth: 'user',
  response: z.object({ specs: z.array(PackSpecJson) }),
})

/** `fleetctl get packs NAME`: one pack as a spec; Fleet names the single object `specs`. */
export const getPackSpec = defineEndpoint({
  method: 'GET',
  path: '/spec/packs/:name',
  mount: 'fleet',
  tag: 'Packs',
  summary: 'One pack, by name, as a spec',
  auth: 'user',
  params: NameParams,
  response: z.object({ specs: PackSpecJson }),
})
