export { failingPoliciesWebhookJob, policyHostCountsJob } from './policies.cron.js'
export { registerPolicyRoutes } from './policies.routes.js'
export {
  createPolicyQueryProvider,
  POLICIES_CHANGED,
  type PolicyQueryProvider,
} from './policy-queries.js'
export { hostPolicySources, type HostPolicySources } from './host-policies.js'
export { webhookSettingsSource, type WebhookSettingsSource } from './webhook-settings.js'
