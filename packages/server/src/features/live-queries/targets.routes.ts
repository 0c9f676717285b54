import { countTargets, searchHosts } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import { presentHosts, type HostPolicySources } from '../hosts/index.js'
import type { SavedQuerySource } from './live-query.js'
import * as service from './targets.service.js'

/** Target pickers: `POST /hosts/search` and `POST /targets/count`. */
export function registerTargetRoutes(
  r: EndpointRegistrar,
  {
    deps,
    savedQueries,
    policies,
  }: { deps: Deps; savedQueries: SavedQuerySource; policies?: HostPolicySources },
): void {
  const targetDeps = { ...deps, savedQueries }
  registerEndpoint(r, searchHosts, async ({ body }, ctx) => ({
    hosts: await presentHosts(
      deps.db,
      await service.searchHosts(targetDeps, ctx, body),
      deps.clock.now().getTime(),
      policies,
    ),
  }))
  registerEndpoint(r, countTargets, async ({ body }, ctx) => {
    const metrics = await service.countTargets(targetDeps, ctx, body)
    return {
      targets_count: metrics.TotalHosts,
      targets_online: metrics.OnlineHosts,
      targets_offline: metrics.OfflineHosts,
    }
  })
}
