import { listLimits } from '@fleet/api'
import { randomUUID } from 'node:crypto'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import type { AgentHost } from '../hosts/index.js'
import { beginProblem, carveName, CARVE_TTL_MS, isExpired, type Carve } from './carve.js'
import * as store from './carves.store.js'

type CarveDeps = Pick<Deps, 'db' | 'clock'>

/** A carve request osquery sent that can't be honoured: a 400, its reason as osquery's error. */
export class CarveRequestError extends InvalidArgumentError {
  constructor(reason: string) {
    super([{ name: 'base', reason }])
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** `carve/begin`: opens a carve session for an authenticated host. */
export async function beginCarve(
  deps: CarveDeps,
  host: AgentHost,
  request: {
    block_count: number
    block_size: number
    carve_size: number
    carve_id: string
    request_id: string
  },
): Promise<string> {
  const problem = beginProblem({
    blockCount: request.block_count,
    blockSize: request.block_size,
    carveSize: request.carve_size,
  })
  if (problem) {
    throw new CarveRequestError(problem)
  }
  const now = deps.clock.now().getTime()
  const sessionId = randomUUID()
  await store.insertCarve(deps.db, {
    createdAt: now,
    hostId: host.id,
    name: carveName(host.hostname, now, request.request_id),
    blockCount: request.block_count,
    blockSize: request.block_size,
    carveSize: request.carve_size,
    carveId: request.carve_id,
    requestId: request.request_id,
    sessionId,
  })
  return sessionId
}

/**
 * `carve/block` (no node key, as in osquery's protocol: the session id is the credential): checks
 * the session, request id, block range and size, then appends the block if it is the next one,
 * as Fleet does (osquery sends blocks in order; a stored block is never replaced).
 */
export async function storeCarveBlock(
  deps: CarveDeps,
  request: { session_id: string; request_id: string; block_id: number; data: string },
): Promise<void> {
  const carve = await store.findCarveBySession(deps.db, request.session_id)
  if (!carve || carve.requestId !== request.request_id) {
    throw new CarveRequestError('unknown carve session')
  }
  if (isExpired(carve, deps.clock.now().getTime())) {
    throw new CarveRequestError('carve session expired')
  }
  if (request.block_id >= carve.blockCount) {
    throw new CarveRequestError(`block_id must be below block_count (${carve.blockCount})`)
  }
  if (!BASE64.test(request.data)) {
    throw new CarveRequestError('data is not base64')
  }
  const data = Buffer.from(request.data, 'base64')
  if (data.length > carve.blockSize) {
    throw new CarveRequestError(`block is larger than block_size (${carve.blockSize})`)
  }
  const appended = await deps.db
    .transaction()
    .execute((trx) => store.appendBlock(trx, carve.id, request.block_id, data))
  if (!appended) {
    throw new CarveRequestError(
      `block_id does not match expected block (${carve.maxBlock + 1}): ${request.block_id}`,
    )
  }
}

export async function listCarves(
  deps: CarveDeps,
  ctx: RequestCtx,
  query: { expired: boolean; page?: number; per_page?: number },
): Promise<Carve[]> {
  authorize(ctx.authz, { type: 'carve' }, 'list')
  return store.listCarves(deps.db, {
    expiredBefore: deps.clock.now().getTime() - CARVE_TTL_MS,
    includeExpired: query.expired,
    ...listLimits(query),
  })
}

export async function getCarve(deps: CarveDeps, ctx: RequestCtx, id: number): Promise<Carve> {
  authorize(ctx.authz, { type: 'carve' }, 'read')
  const carve = await store.findCarve(deps.db, id)
  if (!carve) {
    throw new NotFoundError(`carve ${id}`)
  }
  return carve
}

/** A block's contents; expired carves and blocks not (yet) uploaded are 404. */
export async function getCarveBlock(
  deps: CarveDeps,
  ctx: RequestCtx,
  id: number,
  blockId: number,
): Promise<Buffer> {
  authorize(ctx.authz, { type: 'carve_contents' }, 'read')
  const carve = await store.findCarve(deps.db, id)
  if (!carve || isExpired(carve, deps.clock.now().getTime())) {
    throw new NotFoundError(`carve ${id}`)
  }
  const data = await store.readBlock(deps.db, id, blockId)
  if (!data) {
    throw new NotFoundError(`block ${blockId} of carve ${id}`)
  }
  return data
}
