import { z } from 'zod'

/**
 * osquery's TLS remote API as Fleet serves it: `/api/osquery/*` (alias `/api/v1/osquery/*`).
 * The node key always travels in the JSON body. These are not REST endpoints: errors are
 * `{"error": "...", "node_invalid": true}` so that osquery re-enrolls.
 */
export const OSQUERY_PATHS = {
  enroll: '/api/osquery/enroll',
  config: '/api/osquery/config',
  distributedRead: '/api/osquery/distributed/read',
  distributedWrite: '/api/osquery/distributed/write',
  log: '/api/osquery/log',
  carveBegin: '/api/osquery/carve/begin',
  carveBlock: '/api/osquery/carve/block',
} as const

/** Query name prefixes in distributed/read and distributed/write. */
export const QUERY_PREFIX = {
  detail: 'fleet_detail_query_',
  additional: 'fleet_additional_query_',
  label: 'fleet_label_query_',
  policy: 'fleet_policy_query_',
  distributed: 'fleet_distributed_query_',
} as const

const Text = z.string().max(4096)

/** `host_details`: table name → column → value (osquery sends every value as a string). */
export const HostDetails = z.record(z.string().max(128), z.record(z.string().max(128), z.unknown()))

export const OsqueryEnrollRequest = z.object({
  enroll_secret: z.string().max(255),
  host_identifier: z.string().max(255).default(''),
  platform_type: z.string().max(32).optional(),
  host_details: HostDetails.optional(),
})
export type OsqueryEnrollRequest = z.infer<typeof OsqueryEnrollRequest>

export const OsqueryEnrollResponse = z.object({ node_key: z.string() })

export const NodeKeyRequest = z.object({ node_key: z.string().max(1024) })

export const OsqueryErrorBody = z.object({
  error: z.string(),
  node_invalid: z.boolean().optional(),
})
export type OsqueryErrorBody = z.infer<typeof OsqueryErrorBody>

export const DistributedReadResponse = z.object({
  queries: z.record(z.string(), z.string()),
  discovery: z.record(z.string(), z.string()),
  accelerate: z.number().int().optional(),
})
export type DistributedReadResponse = z.infer<typeof DistributedReadResponse>

/** One result row: column → value (strings from osquery; other JSON tolerated). */
export const ResultRow = z.record(z.string(), z.unknown())
export type ResultRow = z.infer<typeof ResultRow>

/**
 * distributed/write. A query with no rows may arrive as `""`; statuses are numbers (osquery ≥ 3)
 * or numeric strings; non-zero means the query failed, with the reason in `messages`.
 */
export const DistributedWriteRequest = z.object({
  node_key: z.string().max(1024),
  queries: z
    .record(z.string().max(256), z.union([z.array(ResultRow), z.string(), z.null()]))
    .default({}),
  statuses: z.record(z.string().max(256), z.union([z.number(), z.string()])).default({}),
  messages: z.record(z.string().max(256), Text).default({}),
  stats: z.record(z.string(), z.unknown()).optional(),
})
export type DistributedWriteRequest = z.infer<typeof DistributedWriteRequest>

export const LogRequest = z.object({
  node_key: z.string().max(1024),
  log_type: z.enum(['status', 'result']),
  data: z.array(z.unknown()),
})
export type LogRequest = z.infer<typeof LogRequest>

export const CarveBeginRequest = z.object({
  node_key: z.string().max(1024),
  block_count: z.coerce.number().int().min(1).max(1_000_000),
  block_size: z.coerce
    .number()
    .int()
    .min(1)
    .max(64 * 1024 * 1024),
  carve_size: z.coerce.number().int().min(0),
  carve_id: z.string().max(256),
  request_id: z.string().max(256),
})

export const CarveBlockRequest = z.object({
  block_id: z.coerce.number().int().min(0),
  session_id: z.string().max(256),
  request_id: z.string().max(256),
  data: z.string(),
})

export const CarveBeginResponse = z.object({ session_id: z.string(), success: z.boolean() })
