import { countTargets, searchHosts, searchTargets } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import { presentHosts, type HostPolicySources } from '../hosts/index.js'
import type { SavedQuerySource } from './live-query.js'
import * as service from './targets.service.js'

/** Target pickers: `POST /hosts/search`, `POST /targets` and `POST /targets/count`. */
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
  registerEndpoint(r, searchTargets, async ({ body }, ctx) => {
    const found = await service.searchTargets(targetDeps, ctx, body)
    const now = deps.clock.now().getTime()
    const hosts = await presentHosts(deps.db, found.hosts, now, policies)
    return {
      targets: {
        hosts: hosts.map((host) => ({ ...host, display_text: host.hostname })),
        labels: found.labels.map((label) => ({
          id: label.id,
          name: label.name,
          description: label.description,
          label_type: label.labelType,
          label_membership_type: label.membershipType,
          platform: label.platform,
          display_text: label.name,
          count: label.hostCount,
        })),
        teams: found.teams.map((team) => ({
          id: team.id,
          name: team.name,
          description: team.description,
          display_text: team.name,
          count: team.hostCount,
        })),
      },
      targets_count: found.metrics.TotalHosts,
      targets_online: found.metrics.OnlineHosts,
      targets_offline: found.metrics.OfflineHosts,
      targets_missing_in_action: found.metrics.MissingInActionHosts,
    }
  })
  registerEndpoint(r, countTargets, async ({ body }, ctx) => {
    const metrics = await service.countTargets(targetDeps, ctx, body)
    return {
      targets_count: metrics.TotalHosts,
      targets_online: metrics.OnlineHosts,
      targets_offline: metrics.OfflineHosts,
    }
  })
}
