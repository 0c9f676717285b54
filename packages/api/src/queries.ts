import { z } from 'zod'
import { IdParams, ListMeta, ListQuery, PlatformList, Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'

/**
 * Saved queries (Fleet's "queries"): global or team-owned osquery SQL, optionally scheduled on
 * hosts (`interval` > 0) with a logging type, and with a stored report of the latest results.
 */

/** How osquery logs a scheduled query's results (Fleet's names). */
export const QueryLogging = z.enum(['snapshot', 'differential', 'differential_ignore_removals'])
export type QueryLogging = z.infer<typeof QueryLogging>

/**
 * `logging` in a request: Fleet stores an empty value as snapshot (a query YAML without `logging`
 * reaches the server from real fleetctl as `"logging": ""`, Go's zero string).
 */
const QueryLoggingInput = z
  .preprocess((value) => (value === '' ? 'snapshot' : value), QueryLogging)
  .meta({
    description:
      'snapshot (the default; an empty value too), differential, or differential_ignore_removals',
  })

/** osquery's longest schedule interval: one week, in seconds. */
export const MAX_QUERY_INTERVAL = 604_800

/** SQL sent to hosts is bounded so one query can't flood every agent. */
export const MAX_QUERY_SQL_LENGTH = 65_536

export const QueryName = z.string().trim().min(1, 'cannot be empty').max(255)

export const QuerySql = z
  .string()
  .trim()
  .min(1, "query's SQL cannot be empty")
  .max(MAX_QUERY_SQL_LENGTH, 'must be at most 64 KiB')

export const QueryInterval = z
  .number({ error: 'must be a whole number of seconds' })
  .int('must be a whole number of seconds')
  .min(0, 'must be 0 (not scheduled) or more')
  .max(MAX_QUERY_INTERVAL, `must be at most ${MAX_QUERY_INTERVAL} seconds (one week)`)

/** osquery version like `5.4.0`, or empty for any version. */
export const MinOsqueryVersion = z
  .string()
  .trim()
  .max(32)
  .regex(/^(\d+(\.\d+){0,3})?$/, 'must be a version like 5.4.0, or empty')

export const QueryStats = z.object({
  system_time_p50: z.number().nullable(),
  system_time_p95: z.number().nullable(),
  user_time_p50: z.number().nullable(),
  user_time_p95: z.number().nullable(),
  total_executions: z.number().int().nullable(),
})

export const Query = z
  .object({
    created_at: Timestamp,
    updated_at: Timestamp,
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    query: z.string(),
    team_id: z.number().int().nullable(),
    interval: z.number().int(),
    platform: z.string(),
    min_osquery_version: z.string(),
    automations_enabled: z.boolean(),
    logging: QueryLogging,
    saved: z.boolean(),
    observer_can_run: z.boolean(),
    discard_data: z.boolean(),
    author_id: z.number().int().nullable(),
    author_name: z.string(),
    author_email: z.string(),
    /** 2017-style packs holding the query; always empty here. */
    packs: z.array(z.unknown()),
    stats: QueryStats,
  })
  .meta({ id: 'Query' })
export type Query = z.infer<typeof Query>

/** Fields of a query that are set on create and changed by PATCH. */
const QueryFields = {
  description: z.string().max(65_535),
  observer_can_run: z.boolean(),
  interval: QueryInterval,
  platform: PlatformList,
  min_osquery_version: MinOsqueryVersion,
  automations_enabled: z.boolean(),
  logging: QueryLoggingInput,
  discard_data: z.boolean(),
}

export const CreateQueryRequest = z.object({
  name: QueryName,
  query: QuerySql,
  team_id: z.number().int().positive().nullable().default(null),
  description: QueryFields.description.default(''),
  observer_can_run: QueryFields.observer_can_run.default(false),
  interval: QueryFields.interval.default(0),
  platform: QueryFields.platform.default(''),
  min_osquery_version: QueryFields.min_osquery_version.default(''),
  automations_enabled: QueryFields.automations_enabled.default(false),
  logging: QueryFields.logging.default('snapshot'),
  discard_data: QueryFields.discard_data.default(false),
})
export type CreateQueryRequest = z.output<typeof CreateQueryRequest>

/** A query's team can't change; every other field is optional. */
export const ModifyQueryRequest = z.object({
  name: QueryName.optional(),
  query: QuerySql.optional(),
  description: QueryFields.description.optional(),
  observer_can_run: QueryFields.observer_can_run.optional(),
  interval: QueryFields.interval.optional(),
  platform: QueryFields.platform.optional(),
  min_osquery_version: QueryFields.min_osquery_version.optional(),
  automations_enabled: QueryFields.automations_enabled.optional(),
  logging: QueryFields.logging.optional(),
  discard_data: QueryFields.discard_data.optional(),
})
export type ModifyQueryRequest = z.output<typeof ModifyQueryRequest>

/** A query as written in a `kind: query` YAML spec (`team` is the team's name; empty = global). */
export const QuerySpec = z.object({
  name: QueryName,
  description: QueryFields.description.default(''),
  query: QuerySql,
  team: z.string().max(255).default(''),
  interval: QueryFields.interval.default(0),
  observer_can_run: QueryFields.observer_can_run.default(false),
  platform: QueryFields.platform.default(''),
  min_osquery_version: QueryFields.min_osquery_version.default(''),
  automations_enabled: QueryFields.automations_enabled.default(false),
  logging: QueryFields.logging.default('snapshot'),
  discard_data: QueryFields.discard_data.default(false),
})
export type QuerySpec = z.output<typeof QuerySpec>

/** The spec as returned by GET /spec/queries. */
export const QuerySpecJson = z.object({
  name: z.string(),
  description: z.string(),
  query: z.string(),
  team: z.string(),
  interval: z.number().int(),
  observer_can_run: z.boolean(),
  platform: z.string(),
  min_osquery_version: z.string(),
  automations_enabled: z.boolean(),
  logging: QueryLoggingInput,
  discard_data: z.boolean(),
})

const TeamIdQuery = z.object({ team_id: z.coerce.number().int().positive().optional() })
const QueryResponse = z.object({ query: Query })

export const listQueries = defineEndpoint({
  method: 'GET',
  path: '/queries',
  mount: 'fleet',
  tag: 'Queries',
  summary: "Global queries, or a team's (with the global ones when merge_inherited is true)",
  auth: 'user',
  query: ListQuery.extend({
    order_key: z.enum(['id', 'name', 'created_at', 'updated_at', 'interval']).optional(),
    team_id: z.coerce.number().int().positive().optional(),
    merge_inherited: z.stringbool().default(false),
  }),
  response: z.object({ queries: z.array(Query), count: z.number().int(), meta: ListMeta }),
})

export const getQuery = defineEndpoint({
  method: 'GET',
  path: '/queries/:id',
  mount: 'fleet',
  tag: 'Queries',
  summary: 'Get a saved query',
  auth: 'user',
  params: IdParams,
  response: QueryResponse,
})

export const createQuery = defineEndpoint({
  method: 'POST',
  path: '/queries',
  mount: 'fleet',
  tag: 'Queries',
  summary: 'Create a saved query (global, or for a team with team_id); interval > 0 schedules it',
  auth: 'user',
  body: CreateQueryRequest,
  response: QueryResponse,
})

export const modifyQuery = defineEndpoint({
  method: 'PATCH',
  path: '/queries/:id',
  mount: 'fleet',
  tag: 'Queries',
  summary:
    'Change a saved query; new SQL, discard_data true or leaving snapshot logging deletes its report',
  auth: 'user',
  params: IdParams,
  body: ModifyQueryRequest,
  response: QueryResponse,
})

export const deleteQueryByName = defineEndpoint({
  method: 'DELETE',
  path: '/queries/:name',
  mount: 'fleet',
  tag: 'Queries',
  summary: 'Delete a query by name (team_id in the query string or body; none = global)',
  auth: 'user',
  params: z.object({ name: z.string().min(1).max(255) }),
  query: TeamIdQuery,
  body: z.object({ team_id: z.number().int().positive().nullable().optional() }),
  response: z.object({}),
})

export const deleteQueryById = defineEndpoint({
  method: 'DELETE',
  path: '/queries/id/:id',
  mount: 'fleet',
  tag: 'Queries',
  summary: 'Delete a query by id',
  auth: 'user',
  params: IdParams,
  response: z.object({}),
})

export const deleteQueries = defineEndpoint({
  method: 'POST',
  path: '/queries/delete',
  mount: 'fleet',
  tag: 'Queries',
  summary: 'Delete several queries by id',
  auth: 'user',
  body: z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000) }),
  response: z.object({ deleted: z.number().int() }),
})

export const applyQuerySpecs = defineEndpoint({
  method: 'POST',
  path: '/spec/queries',
  mount: 'fleet',
  tag: 'Queries',
  summary: 'Create or update queries by (team, name) from specs (fleetctl apply)',
  auth: 'user',
  body: z.object({ specs: z.array(QuerySpec).min(1).max(1000) }),
  response: z.object({}),
})

export const getQuerySpecs = defineEndpoint({
  method: 'GET',
  path: '/spec/queries',
  mount: 'fleet',
  tag: 'Queries',
  summary: "Global queries (or a team's, with team_id) as specs",
  auth: 'user',
  query: TeamIdQuery,
  response: z.object({ specs: z.array(QuerySpecJson) }),
})

export const getQuerySpec = defineEndpoint({
  method: 'GET',
  path: '/spec/queries/:name',
  mount: 'fleet',
  tag: 'Queries',
  summary: 'One query as a spec',
  auth: 'user',
  params: z.object({ name: z.string().min(1).max(255) }),
  query: TeamIdQuery,
  response: z.object({ specs: QuerySpecJson }),
})

/** One stored result row of a query report: column → value. */
export const ReportColumns = z.record(z.string(), z.unknown())

export const getQueryReport = defineEndpoint({
  method: 'GET',
  path: '/queries/:id/report',
  mount: 'fleet',
  tag: 'Queries',
  summary:
    "The latest results of a scheduled query from every host you can see (the query's report)",
  auth: 'user',
  params: IdParams,
  response: z.object({
    query_id: z.number().int(),
    report_clipped: z.boolean(),
    results: z.array(
      z.object({
        host_id: z.number().int(),
        host_name: z.string(),
        last_fetched: Timestamp,
        columns: ReportColumns,
      }),
    ),
  }),
})

export const getHostQueryReport = defineEndpoint({
  method: 'GET',
  path: '/hosts/:id/queries/:query_id',
  mount: 'fleet',
  tag: 'Queries',
  summary: "One host's latest results of a scheduled query",
  auth: 'user',
  params: IdParams.extend({ query_id: z.coerce.number().int().positive() }),
  response: z.object({
    query_id: z.number().int(),
    host_id: z.number().int(),
    host_name: z.string(),
    last_fetched: Timestamp.nullable(),
    report_clipped: z.boolean(),
    results: z.array(z.object({ columns: ReportColumns })),
  }),
})
