import { z } from 'zod'
import { IdParams, Timestamp } from './common.js'
import { defineEndpoint, FLEET_API_VERSIONS } from './contract.js'
import { ResultRow } from './osquery.js'

/**
 * Live queries: a campaign asks the targeted hosts one SQL question on their next distributed
 * read; answers are streamed over the results websocket (or collected by the synchronous runs).
 */

/** Bound on a live query's SQL (osquery receives it verbatim on every targeted host). */
export const MAX_LIVE_QUERY_SQL_LENGTH = 65_536
/** Rows kept from one host's answer; beyond this the answer is truncated, not refused. */
export const MAX_LIVE_QUERY_ROWS_PER_HOST = 10_000
/** Where the results websocket answers (Fleet's path, every API version). */
export const LIVE_QUERY_WEBSOCKET_PATHS: readonly string[] = FLEET_API_VERSIONS.map(
  (v) => `/api/${v}/fleet/results/websocket`,
)

/** Campaign states as Fleet numbers them. */
export const CampaignStatus = { waiting: 0, running: 1, finished: 2 } as const

const Id = z.number().int().positive()
/** Fleet's Go client sends `null` for an empty list. */
const list = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .nullish()
    .transform((value) => value ?? [])

/**
 * Host identifiers or label names. Real `fleetctl query --labels X` sends `"hosts": [""]` (and
 * `--hosts` sends `"labels": [""]`): empty entries are dropped, as Fleet does.
 */
const names = (max: number) =>
  z
    .array(z.string().max(255))
    .max(max)
    .nullish()
    .transform((value) => (value ?? []).filter((name) => name.trim() !== ''))

const LiveQuerySql = z.string().max(MAX_LIVE_QUERY_SQL_LENGTH, 'must be at most 64 KiB')

/** Target selection: listed hosts always; labels OR-ed, teams OR-ed, labels AND teams. */
export const LiveQueryTargets = z.object({
  hosts: list(Id, 100_000),
  labels: list(Id, 10_000),
  /** `0` is "No team". */
  teams: list(z.number().int().min(0), 10_000),
})

function requireQuery(
  body: { query?: string | undefined; query_id?: number | null | undefined },
  ctx: z.RefinementCtx,
): void {
  if ((body.query_id ?? null) === null && (body.query ?? '').trim() === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['query'],
      message: 'one of query or query_id must be specified',
    })
  }
}

export const CreateCampaignRequest = z
  .object({
    /** Ad-hoc SQL (ignored when `query_id` is given). */
    query: LiveQuerySql.optional(),
    /** A saved query to run. */
    query_id: Id.nullish(),
    selected: LiveQueryTargets.prefault({}),
  })
  .superRefine(requireQuery)
export type CreateCampaignRequest = z.infer<typeof CreateCampaignRequest>

export const CreateCampaignByIdentifiersRequest = z
  .object({
    query: LiveQuerySql.optional(),
    query_id: Id.nullish(),
    selected: z
      .object({
        /** Hostnames, UUIDs, serial numbers or osquery identifiers; unknown ones are skipped. */
        hosts: names(100_000),
        /** Label names; an unknown name is a 400. */
        labels: names(10_000),
      })
      .prefault({}),
  })
  .superRefine(requireQuery)
export type CreateCampaignByIdentifiersRequest = z.infer<typeof CreateCampaignByIdentifiersRequest>

/** Target counts by status (Fleet's capitalized keys). */
export const TargetMetrics = z.object({
  TotalHosts: z.number().int(),
  OnlineHosts: z.number().int(),
  OfflineHosts: z.number().int(),
  MissingInActionHosts: z.number().int(),
  NewHosts: z.number().int(),
})
export type TargetMetrics = z.infer<typeof TargetMetrics>

export const LiveQueryCampaign = z
  .object({
    id: z.number().int(),
    /** The saved query run; null for ad-hoc SQL (which is not saved). */
    query_id: z.number().int().nullable(),
    /** 0 waiting for a reader, 1 running, 2 finished. */
    status: z.number().int(),
    user_id: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
    Metrics: TargetMetrics,
  })
  .meta({ id: 'LiveQueryCampaign' })
export type LiveQueryCampaign = z.infer<typeof LiveQueryCampaign>

const CampaignResponse = z.object({ campaign: LiveQueryCampaign })

export const createLiveQueryCampaign = defineEndpoint({
  method: 'POST',
  path: '/queries/run',
  mount: 'fleet',
  tag: 'Live queries',
  summary: 'Start a live query on hosts, labels and teams; read results on the results websocket',
  auth: 'user',
  body: CreateCampaignRequest,
  response: CampaignResponse,
})

export const createLiveQueryCampaignByIdentifiers = defineEndpoint({
  method: 'POST',
  path: '/queries/run_by_identifiers',
  mount: 'fleet',
  tag: 'Live queries',
  summary: 'Start a live query on hosts by identifier and labels by name (fleetctl query)',
  auth: 'user',
  body: CreateCampaignByIdentifiersRequest,
  response: CampaignResponse,
})

export const createLiveQueryCampaignByNames = defineEndpoint({
  method: 'POST',
  path: '/queries/run_by_names',
  mount: 'fleet',
  tag: 'Live queries',
  summary: 'Deprecated alias of /queries/run_by_identifiers',
  auth: 'user',
  body: CreateCampaignByIdentifiersRequest,
  response: CampaignResponse,
})

/** One host's answer in a synchronous run: rows, or the error osquery reported. */
export const LiveQueryHostResult = z.object({
  host_id: z.number().int(),
  rows: z.array(ResultRow),
  error: z.string().nullable(),
})
export type LiveQueryHostResult = z.infer<typeof LiveQueryHostResult>

export const runSavedQueryLive = defineEndpoint({
  method: 'POST',
  path: '/queries/:id/run',
  mount: 'fleet',
  tag: 'Live queries',
  summary:
    'Run a saved query on hosts and wait for their answers (up to live_query.rest_period, 25 s)',
  auth: 'user',
  params: IdParams,
  body: z.object({ host_ids: list(Id, 10_000) }),
  response: z.object({
    query_id: z.number().int(),
    targeted_host_count: z.number().int(),
    responded_host_count: z.number().int(),
    results: z.array(LiveQueryHostResult),
  }),
})

const HostQueryBody = z.object({ query: LiveQuerySql.prefault('') })
export const HostQueryResponse = z.object({
  host_id: z.number().int(),
  query: z.string(),
  /** An offline host is not asked: `rows` and `error` are null. */
  status: z.enum(['online', 'offline']),
  error: z.string().nullable(),
  rows: z.array(ResultRow).nullable(),
})
export type HostQueryResponse = z.infer<typeof HostQueryResponse>

export const runHostQueryLive = defineEndpoint({
  method: 'POST',
  path: '/hosts/:id/query',
  mount: 'fleet',
  tag: 'Live queries',
  summary: 'Run ad-hoc SQL on one host and wait for its answer (up to live_query.rest_period)',
  auth: 'user',
  params: IdParams,
  body: HostQueryBody,
  response: HostQueryResponse,
})

export const runHostQueryLiveByIdentifier = defineEndpoint({
  method: 'POST',
  path: '/hosts/identifier/:identifier/query',
  mount: 'fleet',
  tag: 'Live queries',
  summary: 'Run ad-hoc SQL on the host with this hostname, UUID, serial or osquery identifier',
  auth: 'user',
  params: z.object({ identifier: z.string().min(1).max(255) }),
  body: HostQueryBody,
  response: HostQueryResponse,
})

export const liveQueryStatus = defineEndpoint({
  method: 'GET',
  path: '/status/live_query',
  mount: 'fleet',
  tag: 'Live queries',
  summary: 'Whether live queries can run (403 when disabled by an administrator)',
  auth: 'user',
  response: z.object({}),
})

export const resultStoreStatus = defineEndpoint({
  method: 'GET',
  path: '/status/result_store',
  mount: 'fleet',
  tag: 'Live queries',
  summary: 'Whether the live-query result store (pub/sub) is reachable',
  auth: 'user',
  response: z.object({}),
})

/** What a client sends on the results websocket: `auth` first, then `select_campaign`. */
export const LiveQuerySocketAuth = z.object({
  type: z.literal('auth'),
  data: z.object({ token: z.string().max(4096) }),
})
export const LiveQuerySocketSelect = z.object({
  type: z.literal('select_campaign'),
  data: z.object({ campaign_id: z.number().int() }),
})

export const CampaignTotals = z.object({
  count: z.number().int(),
  online: z.number().int(),
  offline: z.number().int(),
  missing_in_action: z.number().int(),
})
export type CampaignTotals = z.infer<typeof CampaignTotals>

export const CampaignProgress = z.object({
  expected_results: z.number().int(),
  actual_results: z.number().int(),
  status: z.enum(['pending', 'finished']),
})
export type CampaignProgress = z.infer<typeof CampaignProgress>

export const CampaignResult = z.object({
  distributed_query_execution_id: z.number().int(),
  host: z.object({ id: z.number().int(), hostname: z.string(), display_name: z.string() }),
  /** Each row also carries `host_hostname` and `host_display_name`, as in Fleet. */
  rows: z.array(ResultRow),
  error: z.string().nullable(),
})
export type CampaignResult = z.infer<typeof CampaignResult>

/** What the server sends on the results websocket. */
export const LiveQuerySocketMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('totals'), data: CampaignTotals }),
  z.object({ type: z.literal('status'), data: CampaignProgress }),
  z.object({ type: z.literal('result'), data: CampaignResult }),
  z.object({ type: z.literal('error'), data: z.string() }),
])
export type LiveQuerySocketMessage = z.infer<typeof LiveQuerySocketMessage>
