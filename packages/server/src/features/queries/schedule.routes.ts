import {
  addToGlobalSchedule,
  addToGlobalScheduleV1,
  addToTeamSchedule,
  deleteGlobalSchedule,
  deleteGlobalScheduleV1,
  deleteTeamSchedule,
  getGlobalSchedule,
  getGlobalScheduleV1,
  getTeamSchedule,
  modifyGlobalSchedule,
  modifyGlobalScheduleV1,
  modifyTeamSchedule,
  type ScheduledQuery as ScheduledQueryJson,
} from '@fleet/api'
import { isoTime } from '../../platform/clock.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import type { SavedQuery } from './query.js'
import type { QueryDeps } from './queries.service.js'
import { presentQuery } from './queries.routes.js'
import * as schedule from './schedule.service.js'

/** A saved query as Fleet's `ScheduledQuery` (`ScheduledQueryFromQuery`: logging as flags). */
export function presentScheduled(query: SavedQuery): ScheduledQueryJson {
  return {
    created_at: isoTime(query.createdAt),
    updated_at: isoTime(query.updatedAt),
    id: query.id,
    pack_id: 0,
    name: query.name,
    query_id: query.id,
    query_name: query.name,
    query: query.query,
    description: query.description,
    interval: query.interval,
    snapshot: query.logging === 'snapshot',
    removed: query.logging === 'differential',
    platform: query.platform,
    version: query.minOsqueryVersion,
    shard: null,
    denylist: null,
    stats: presentQuery(query).stats,
  }
}

/** Fleet's deprecated global schedule (`/schedule`, v1 `/global/schedule`) and team schedule. */
export function registerScheduleRoutes(r: EndpointRegistrar, { deps }: { deps: QueryDeps }): void {
  for (const endpoint of [getGlobalSchedule, getGlobalScheduleV1]) {
    registerEndpoint(r, endpoint, async ({ query }, ctx) => ({
      global_schedule: (await schedule.listSchedule(deps, ctx, null, query)).map(presentScheduled),
    }))
  }
  for (const endpoint of [addToGlobalSchedule, addToGlobalScheduleV1]) {
    registerEndpoint(r, endpoint, async ({ body }, ctx) => ({
      scheduled: presentScheduled(await schedule.addToSchedule(deps, ctx, null, body)),
    }))
  }
  for (const endpoint of [modifyGlobalSchedule, modifyGlobalScheduleV1]) {
    registerEndpoint(r, endpoint, async ({ params, body }, ctx) => ({
      scheduled: presentScheduled(await schedule.modifySchedule(deps, ctx, null, params.id, body)),
    }))
  }
  for (const endpoint of [deleteGlobalSchedule, deleteGlobalScheduleV1]) {
    registerEndpoint(r, endpoint, async ({ params }, ctx) => {
      await schedule.deleteFromSchedule(deps, ctx, null, params.id)
      return {}
    })
  }
  registerEndpoint(r, getTeamSchedule, async ({ params, query }, ctx) => ({
    scheduled: (await schedule.listSchedule(deps, ctx, params.id, query)).map(presentScheduled),
  }))
  registerEndpoint(r, addToTeamSchedule, async ({ params, body }, ctx) => ({
    scheduled: presentScheduled(await schedule.addToSchedule(deps, ctx, params.id, body)),
  }))
  registerEndpoint(r, modifyTeamSchedule, async ({ params, body }, ctx) => ({
    scheduled: presentScheduled(
      await schedule.modifySchedule(deps, ctx, params.id, params.scheduled_query_id, body),
    ),
  }))
  registerEndpoint(r, deleteTeamSchedule, async ({ params }, ctx) => {
    await schedule.deleteFromSchedule(deps, ctx, params.id, params.scheduled_query_id)
    return {}
  })
}
