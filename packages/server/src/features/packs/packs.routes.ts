import {
  applyPackSpecs,
  createPack,
  deletePackById,
  deletePackByName,
  deleteScheduledQuery,
  deleteScheduledQueryV1,
  getPack,
  getPackSpec,
  getPackSpecs,
  getScheduledQuery,
  listPacks,
  listPackScheduledQueries,
  modifyPack,
  modifyScheduledQuery,
  modifyScheduledQueryV1,
  scheduleQuery,
  scheduleQueryV1,
  type Pack as PackJson,
  type ScheduledQuery as ScheduledQueryJson,
} from '@fleet/api'
import { isoTime } from '../../platform/clock.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import type { QueryPack } from './pack.js'
import * as entries from './pack-entries.service.js'
import * as specs from './pack-specs.service.js'
import * as service from './packs.service.js'

const NO_STATS = {
  system_time_p50: null,
  system_time_p95: null,
  user_time_p50: null,
  user_time_p95: null,
  total_executions: null,
}

async function presentPack(deps: service.PackDeps, pack: QueryPack): Promise<PackJson> {
  const counts = await service.packCounts(deps, pack)
  return {
    created_at: isoTime(pack.createdAt),
    updated_at: isoTime(pack.updatedAt),
    id: pack.id,
    name: pack.name,
    description: pack.description,
    platform: pack.platform,
    disabled: pack.disabled,
    type: null,
    label_ids: pack.labelIds,
    host_ids: pack.hostIds,
    team_ids: pack.teamIds,
    query_count: counts.queryCount,
    total_hosts_count: counts.totalHostsCount,
  }
}

function presentEntry({ entry, query }: entries.ResolvedEntry): ScheduledQueryJson {
  return {
    created_at: isoTime(entry.createdAt),
    updated_at: isoTime(entry.updatedAt),
    id: entry.id,
    pack_id: entry.packId,
    name: entry.name,
    query_id: query.id,
    query_name: query.name,
    query: query.query,
    description: entry.description,
    interval: entry.interval,
    snapshot: entry.snapshot,
    removed: entry.removed,
    platform: entry.platform,
    version: entry.version,
    shard: entry.shard,
    denylist: entry.denylist,
    stats: NO_STATS,
  }
}

/** Packs (deprecated in Fleet, still routed), their scheduled queries and pack specs. */
export function registerPackRoutes(
  r: EndpointRegistrar,
  { deps }: { deps: service.PackDeps },
): void {
  registerEndpoint(r, listPacks, async ({ query }, ctx) => {
    const packs = await service.listPacks(deps, ctx, query)
    const json: PackJson[] = []
    for (const pack of packs) {
      json.push(await presentPack(deps, pack))
    }
    return { packs: json }
  })
  registerEndpoint(r, getPack, async ({ params }, ctx) => ({
    pack: await presentPack(deps, await service.getPack(deps, ctx, params.id)),
  }))
  registerEndpoint(r, createPack, async ({ body }, ctx) => ({
    pack: await presentPack(deps, await service.createPack(deps, ctx, body)),
  }))
  registerEndpoint(r, modifyPack, async ({ params, body }, ctx) => ({
    pack: await presentPack(deps, await service.modifyPack(deps, ctx, params.id, body)),
  }))
  registerEndpoint(r, deletePackByName, async ({ params }, ctx) => {
    await service.deletePackByName(deps, ctx, params.name)
    return {}
  })
  registerEndpoint(r, deletePackById, async ({ params }, ctx) => {
    await service.deletePackById(deps, ctx, params.id)
    return {}
  })
  registerEndpoint(r, listPackScheduledQueries, async ({ params }, ctx) => ({
    scheduled: (await entries.listPackEntries(deps, ctx, params.id)).map(presentEntry),
  }))
  registerEndpoint(r, getScheduledQuery, async ({ params }, ctx) => ({
    scheduled: presentEntry(await entries.getEntry(deps, ctx, params.id)),
  }))
  for (const endpoint of [scheduleQuery, scheduleQueryV1]) {
    registerEndpoint(r, endpoint, async ({ body }, ctx) => ({
      scheduled: presentEntry(await entries.scheduleQuery(deps, ctx, body)),
    }))
  }
  for (const endpoint of [modifyScheduledQuery, modifyScheduledQueryV1]) {
    registerEndpoint(r, endpoint, async ({ params, body }, ctx) => ({
      scheduled: presentEntry(await entries.modifyEntry(deps, ctx, params.id, body)),
    }))
  }
  for (const endpoint of [deleteScheduledQuery, deleteScheduledQueryV1]) {
    registerEndpoint(r, endpoint, async ({ params }, ctx) => {
      await entries.deleteEntry(deps, ctx, params.id)
      return {}
    })
  }
  registerEndpoint(r, applyPackSpecs, async ({ body }, ctx) => {
    await specs.applyPackSpecs(deps, ctx, body.specs)
    return {}
  })
  registerEndpoint(r, getPackSpecs, async (_input, ctx) => ({
    specs: await specs.packSpecs(deps, ctx),
  }))
  registerEndpoint(r, getPackSpec, async ({ params }, ctx) => ({
    specs: await specs.packSpec(deps, ctx, params.name),
  }))
}
