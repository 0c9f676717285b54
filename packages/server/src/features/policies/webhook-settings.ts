import type { StoredAppConfig } from '@fleet/api'
import type { Db } from '../../db/database.js'
import { findTeamsByIds } from '../teams/index.js'
import type { FailingPoliciesWebhookSettings } from './policy.js'

/** Where the failing-policies webhook settings come from: the app config and the teams. */
export interface WebhookSettingsSource {
  /** The webhook covering a scope's policies: the global one, or a team's (undefined: no team). */
  webhookFor(teamId: number | null): Promise<FailingPoliciesWebhookSettings | undefined>
  /** The server's URL, for links to hosts in payloads. */
  serverUrl(): Promise<string>
}

/**
 * Reads global settings through the app-config service (cached on the check-in path, fresh in a
 * cron run) and a team's through the teams feature on each call (teams don't publish their
 * changes); settings stored before a key existed read as defaults.
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
      const [team] = await findTeamsByIds(db, [teamId])
      return team?.settings.webhook_settings.failing_policies_webhook
    },
    async serverUrl() {
      return (await appConfig.current()).server_settings.server_url.replace(/\/+$/, '')
    },
  }
}
