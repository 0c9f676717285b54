import type { StoredAppConfig } from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { FailingPoliciesWebhookSettings } from './policy.js'
import { teamWebhook } from './policy-webhook.store.js'

/** Where the failing-policies webhook settings come from: the app config and the teams. */
export interface WebhookSettingsSource {
  /** The webhook covering a scope's policies: the global one, or a team's (undefined: no team). */
  webhookFor(teamId: number | null): Promise<FailingPoliciesWebhookSettings | undefined>
  /** The server's URL, for links to hosts in payloads. */
  serverUrl(): Promise<string>
}

/**
 * Reads global settings through the app-config service (cached on the check-in path, fresh in a
 * cron run) and a team's from the teams table on each call (teams don't publish their changes).
 */
export function webhookSettingsSource(
  db: Db,
  appConfig: { current(): Promise<StoredAppConfig> },
): WebhookSettingsSource {
  return {
    async webhookFor(teamId) {
      if (teamId === null) {
        return (await appConfig.current()).webhook_settings.failing_policies_webhook
      }
      return teamWebhook(db, teamId)
    },
    async serverUrl() {
      return (await appConfig.current()).server_settings.server_url.replace(/\/+$/, '')
    },
  }
}
