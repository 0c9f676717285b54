import { APP_CONFIG } from '../app-config/index.js'
import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { createDeletionHooks, type DeletionHooks } from '../../platform/deletion-hooks.js'
import type { HostLabelSources, HostPolicySources } from './host-json.js'
import { registerHostActivityRoutes } from './host-activities.routes.js'
import { hostsMdm, type HostsMdmSource } from './host-mdm.js'
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

/**
 * Where features holding rows about hosts without a foreign key (MDM devices' `host_id`) clean
 * them when hosts are deleted, in the deletion transaction: `use(HOST_DELETION).register(…)`.
 */
export const HOST_DELETION = defineService<DeletionHooks<readonly number[]>>('host deletion hooks')

/** Hosts in the REST API: list, count, summary, get, refetch, transfer, delete. */
export const hostsModule: FeatureModule = {
  name: 'hosts',
  build: ({ deps, use, find }) => {
    const invalidateAgents = use(INVALIDATE_AGENT_HOSTS)
    const policies = find(HOST_POLICY_SOURCES)
    const labels = find(HOST_LABEL_SOURCES)
    const appConfig = find(APP_CONFIG)
    const mdm: HostsMdmSource = async (hostIds) =>
      hostsMdm(
        deps.db,
        hostIds,
        appConfig ? (await appConfig.current()).server_settings.server_url : null,
      )
    const deletion = createDeletionHooks<readonly number[]>()
    return {
      provides: [provide(HOST_DELETION, deletion)],
      routes: (r) => {
        registerHostRoutes(r, { deps, invalidateAgents, policies, labels, mdm, deletion })
        registerHostActivityRoutes(r, deps)
      },
    }
  },
}
