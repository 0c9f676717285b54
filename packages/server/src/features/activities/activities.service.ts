import { listWindow, type EndpointRequest, type listActivities as listEndpoint } from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import type { Clock } from '../../platform/clock.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { activityHostIds, type Activity, type ActivityInput } from './activity.js'
import * as store from './activities.store.js'

/**
 * Writes the audit record of a change. Call it inside the transaction that makes the change, so
 * the change and its record commit or fail together.
 */
export async function recordActivity(
  trx: Db,
  clock: Clock,
  ctx: Pick<RequestCtx, 'actor'>,
  activity: ActivityInput,
): Promise<void> {
  await store.insertActivity(
    trx,
    {
      createdAt: clock.now().getTime(),
      actorId: ctx.actor?.id ?? null,
      actorName: ctx.actor?.name ?? null,
      actorEmail: ctx.actor?.email ?? null,
      type: activity.type,
      details: activity.details,
      fleetInitiated: activity.fleetInitiated ?? false,
    },
    activityHostIds(activity),
  )
}

export async function listActivities(
  deps: Pick<Deps, 'db'>,
  ctx: RequestCtx,
  query: EndpointRequest<typeof listEndpoint>['query'],
): Promise<{ activities: Activity[]; hasNext: boolean; hasPrevious: boolean }> {
  authorize(ctx.authz, { type: 'activity' }, 'read')
  const { page, perPage, offset } = listWindow(query)
  const rows = await store.listActivities(deps.db, {
    type: query.activity_type,
    orderKey: query.order_key ?? 'created_at',
    direction: query.order_key ? query.order_direction : 'desc',
    offset,
    limit: perPage === undefined ? undefined : perPage + 1,
  })
  const hasNext = perPage !== undefined && rows.length > perPage
  return {
    activities: hasNext ? rows.slice(0, perPage) : rows,
    hasNext,
    hasPrevious: page > 0,
  }
}

/**
 * One page of the activities that concern a host, newest first. The caller has authorized
 * reading the host (the hosts feature owns that rule): this reads by host id only.
 */
export async function listHostActivities(
  db: Db,
  hostId: number,
  query: { page?: number | undefined; per_page?: number | undefined },
): Promise<{ activities: Activity[]; hasNext: boolean; hasPrevious: boolean }> {
  const { page, perPage, offset } = listWindow(query)
  const rows = await store.listHostActivities(db, hostId, {
    offset,
    limit: perPage === undefined ? undefined : perPage + 1,
  })
  const hasNext = perPage !== undefined && rows.length > perPage
  return {
    activities: hasNext ? rows.slice(0, perPage) : rows,
    hasNext,
    hasPrevious: page > 0,
  }
}
