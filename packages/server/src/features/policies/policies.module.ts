import { provide, type FeatureModule } from '../../modules/index.js'
import { APP_CONFIG } from '../app-config/index.js'
import { HOST_POLICY_SOURCES } from '../hosts/index.js'
import { hostPolicySources } from './host-policies.js'
import { failingPoliciesWebhookJob, policyHostCountsJob } from './policies.cron.js'
import { registerPolicyRoutes } from './policies.routes.js'
import { createPolicyQueryProvider } from './policy-queries.js'
import { webhookSettingsSource } from './webhook-settings.js'

/**
 * Policies: asked of hosts at check-in, their results shown on host pages, counted and sent to
 * the failing-policies webhook by cron.
 */
export const policiesModule: FeatureModule = {
  name: 'policies',
  build: ({ deps, use }) => {
    const webhooks = webhookSettingsSource(deps.db, use(APP_CONFIG))
    const provider = createPolicyQueryProvider(deps, webhooks)
    return {
      provides: [provide(HOST_POLICY_SOURCES, hostPolicySources(deps.db))],
      routes: (r) => registerPolicyRoutes(r, { deps, webhooks }),
      cronJobs: [policyHostCountsJob(deps), failingPoliciesWebhookJob(deps)],
      agentQueryProviders: [provider],
      subscriptions: provider.subscriptions,
    }
  },
}
