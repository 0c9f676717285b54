import { getCarve, getCarveBlock, listCarves, type Carve as CarveJson } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { isoTime } from '../../platform/clock.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import { isExpired, type Carve } from './carve.js'
import * as service from './carves.service.js'

function presentCarve(carve: Carve, now: number): CarveJson {
  return {
    id: carve.id,
    created_at: isoTime(carve.createdAt),
    host_id: carve.hostId,
    name: carve.name,
    block_count: carve.blockCount,
    block_size: carve.blockSize,
    carve_size: carve.carveSize,
    carve_id: carve.carveId,
    request_id: carve.requestId,
    session_id: carve.sessionId,
    expired: isExpired(carve, now),
    max_block: carve.maxBlock,
    error: carve.error,
  }
}

export function registerCarveRoutes(r: EndpointRegistrar, { deps }: { deps: Deps }): void {
  const now = () => deps.clock.now().getTime()
  registerEndpoint(r, listCarves, async ({ query }, ctx) => ({
    carves: (await service.listCarves(deps, ctx, query)).map((c) => presentCarve(c, now())),
  }))
  registerEndpoint(r, getCarve, async ({ params }, ctx) => ({
    carve: presentCarve(await service.getCarve(deps, ctx, params.id), now()),
  }))
  registerEndpoint(r, getCarveBlock, async ({ params }, ctx) => ({
    data: (await service.getCarveBlock(deps, ctx, params.id, params.block_id)).toString('base64'),
  }))
}
