import { z } from 'zod'
import { IdParams, ListQuery, Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'

/** A file carve: a file osquery uploaded in blocks after a `carves` live query. */
export const Carve = z
  .object({
    id: z.number().int(),
    created_at: Timestamp,
    host_id: z.number().int(),
    name: z.string(),
    block_count: z.number().int(),
    block_size: z.number().int(),
    carve_size: z.number().int(),
    carve_id: z.string(),
    request_id: z.string(),
    session_id: z.string(),
    expired: z.boolean(),
    /** Highest block received so far; block_count − 1 when complete, −1 before any. */
    max_block: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'Carve' })
export type Carve = z.infer<typeof Carve>

export const listCarves = defineEndpoint({
  method: 'GET',
  path: '/carves',
  mount: 'fleet',
  tag: 'Carves',
  summary: 'List file carves (expired ones only with expired=true)',
  auth: 'user',
  query: z.object({
    expired: z.stringbool().default(false),
    page: ListQuery.shape.page,
    per_page: ListQuery.shape.per_page,
  }),
  response: z.object({ carves: z.array(Carve) }),
})

export const getCarve = defineEndpoint({
  method: 'GET',
  path: '/carves/:id',
  mount: 'fleet',
  tag: 'Carves',
  summary: 'Get a file carve',
  auth: 'user',
  params: IdParams,
  response: z.object({ carve: Carve }),
})

export const getCarveBlock = defineEndpoint({
  method: 'GET',
  path: '/carves/:id/block/:block_id',
  mount: 'fleet',
  tag: 'Carves',
  summary: "One block of a carve's contents, base64-encoded",
  auth: 'user',
  params: z.object({
    id: z.coerce.number().int().positive(),
    block_id: z.coerce.number().int().min(0),
  }),
  response: z.object({ data: z.string() }),
})
