import { listActivities as listEndpoint, type Activity as ActivityJson } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { isoTime } from '../../platform/clock.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import type { Activity } from './activity.js'
import { listActivities } from './activities.service.js'

export function presentActivity(activity: Activity): ActivityJson {
  return {
    id: activity.id,
    created_at: isoTime(activity.createdAt),
    actor_full_name: activity.actorName,
    actor_id: activity.actorId,
    actor_gravatar: activity.actorId === null ? null : '',
    actor_email: activity.actorEmail,
    type: activity.type,
    fleet_initiated: activity.fleetInitiated,
    details: activity.details,
  }
}

export function registerActivityRoutes(r: EndpointRegistrar, { deps }: { deps: Deps }): void {
  registerEndpoint(r, listEndpoint, async ({ query }, ctx) => {
    const page = await listActivities(deps, ctx, query)
    return {
      activities: page.activities.map(presentActivity),
      meta: { has_next_results: page.hasNext, has_previous_results: page.hasPrevious },
    }
  })
}
