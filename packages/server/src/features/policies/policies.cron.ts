import type { Deps } from '../../deps.js'
import { parseDuration } from '../../config/duration.js'
import type { CronJob } from '../../platform/cron-job.js'
import { createAppConfigService } from '../app-config/index.js'
import { deliverFailingPolicies, type WebhookDeliveryOptions } from './failing-policies-webhook.js'
import * as membership from './policy-membership.store.js'
import { webhookSettingsSource } from './webhook-settings.js'

/** How often the passing/failing host counts are recomputed (Fleet: hourly). */
export const POLICY_COUNTS_INTERVAL_MS = 3_600_000

/** Fleet's default `webhook_settings.interval`, used when the setting is not a duration. */
const DEFAULT_WEBHOOK_INTERVAL_MS = 24 * 3_600_000
/** The shortest interval honoured, so a typo like "1s" cannot hammer the receiver. */
const MIN_WEBHOOK_INTERVAL_MS = 60_000

/** `webhook_settings.interval` ("24h0m0s" by default) in ms, bounded below by a minute. */
export function webhookIntervalMs(setting: string): number {
  const parsed = parseDuration(setting)
  return parsed === undefined || parsed <= 0
    ? DEFAULT_WEBHOOK_INTERVAL_MS
    : Math.max(parsed, MIN_WEBHOOK_INTERVAL_MS)
}

/**
 * Recomputes every policy's `passing_host_count`, `failing_host_count` and
 * `host_count_updated_at`, and the per-team counts of global policies, from the stored results.
 * Counting on every list would scan every host's results; like Fleet, lists show the last run's.
 * First removes results of team policies left behind by hosts that changed team.
 */
export function policyHostCountsJob(deps: Pick<Deps, 'db' | 'clock'>): CronJob {
  return {
    name: 'policy_host_counts',
    intervalMs: POLICY_COUNTS_INTERVAL_MS,
    async run() {
      const stale = await membership.deleteStaleResults(deps.db)
      const rows = await membership.countsByPolicyAndTeam(deps.db)
      const totals = new Map<number, { passing: number; failing: number }>()
      const perTeam: { policyId: number; teamId: number; passing: number; failing: number }[] = []
      for (const row of rows) {
        const total = totals.get(row.policyId) ?? { passing: 0, failing: 0 }
        total.passing += row.passing
        total.failing += row.failing
        totals.set(row.policyId, total)
        if (row.policyTeamId === null && row.teamId !== null) {
          perTeam.push({ ...row, teamId: row.teamId })
        }
      }
      const now = deps.clock.now().getTime()
      // Row by row, outside a transaction: check-ins that record results keep going meanwhile.
      await membership.storePolicyCounts(deps.db, totals, now)
      await deps.db.transaction().execute(async (trx) => {
        await membership.replaceTeamCounts(trx, perTeam, now)
      })
      return { policiesCounted: totals.size, staleResultsRemoved: stale }
    },
  }
}

/**
 * Sends hosts that newly failed a policy to the failing-policies webhook (global, or the policy's
 * team's), batched by `host_batch_size`, with retries, once per `webhook_settings.interval`
 * (24h by default), as Fleet does.
 */
export function failingPoliciesWebhookJob(
  deps: Deps,
  options: WebhookDeliveryOptions = {},
): CronJob {
  return {
    name: 'policy_failing_webhook',
    // A fresh app-config reader per check: the interval may change on any instance.
    intervalMs: async () =>
      webhookIntervalMs((await createAppConfigService(deps).current()).webhook_settings.interval),
    async run() {
      // A fresh app-config reader per run: this job must see changes made on any instance.
      const settings = webhookSettingsSource(deps.db, createAppConfigService(deps))
      return deliverFailingPolicies(deps, settings, options)
    },
  }
}
