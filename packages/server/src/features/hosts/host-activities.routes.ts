import { listHostPastActivities } from '@fleet/api'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import { listHostActivities, presentActivity } from '../activities/index.js'
import type { Deps } from '../../deps.js'
import { readableHostOnly } from './hosts.service.js'

/**
 * `GET /hosts/:id/activities`: the host's past activities, for whoever may read the host (its
 * team's users, global users); 404 for a host that does not exist, 403 for another team's.
 */
export function registerHostActivityRoutes(r: EndpointRegistrar, deps: Deps): void {
  registerEndpoint(r, listHostPastActivities, async ({ params, query }, ctx) => {
    const host = await readableHostOnly(deps, ctx, params.id)
    const page = await listHostActivities(deps.db, host.id, query)
    return {
      activities: page.activities.map(presentActivity),
      meta: { has_next_results: page.hasNext, has_previous_results: page.hasPrevious },
    }
  })
}
