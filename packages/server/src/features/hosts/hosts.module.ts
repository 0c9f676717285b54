import { APP_CONFIG } from '../app-config/index.js'
import { defineService, type FeatureModule } from '../../modules/index.js'
import type { HostLabelSources, HostPolicySources } from './host-json.js'
import { hostMdm } from './host-mdm.js'
import { registerHostRoutes } from './hosts.routes.js'

/**
 * What host pages read from the policies feature, which provides it (policies import hosts, so
 * hosts can't import them). Without it hosts show no policies and no issues.
 */
export const HOST_POLICY_SOURCES = defineService<HostPolicySources>('host policy sources')

/** What host pages read from the labels feature, which provides it (labels import hosts). */
export const HOST_LABEL_SOURCES = defineService<HostLabelSources>('host label sources')

/**
 * Drops hosts from the agent path's node-key cache, here and on every instance, after the REST
 * API changed them (transfer, refetch, delete). Provided by the osquery protocol module, which
 * owns the agent service.
 */
export const INVALIDATE_AGENT_HOSTS =
  defineService<(hostIds: readonly number[]) => Promise<void>>('agent host invalidation')

/** Hosts in the REST API: list, count, summary, get, refetch, transfer, delete. */
export const hostsModule: FeatureModule = {
  name: 'hosts',
  build: ({ deps, use, find }) => {
    const invalidateAgents = use(INVALIDATE_AGENT_HOSTS)
    const policies = find(HOST_POLICY_SOURCES)
    const labels = find(HOST_LABEL_SOURCES)
    const appConfig = find(APP_CONFIG)
    const mdm = async (hostId: number) =>
      hostMdm(
        deps.db,
        hostId,
        appConfig ? (await appConfig.current()).server_settings.server_url : null,
      )
    return {
      routes: (r) => registerHostRoutes(r, { deps, invalidateAgents, policies, labels, mdm }),
    }
  },
}
