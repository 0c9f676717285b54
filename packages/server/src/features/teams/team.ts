import {
  AgentOptions,
  defaultTeamMdm,
  ForcedAgentOptions,
  httpUrlProblem,
  TeamMdm,
  type Team as TeamJson,
  type TeamSpec,
} from '@fleet/api'
import { issueDetails } from '../../platform/errors/index.js'

/**
 * A team's settings, stored as one JSON document. `integrations`, `mdm`, `scripts`,
 * `webhook_settings.host_status_webhook` and `features.additional_queries` are kept so Fleet's
 * specs and clients round-trip, but have no effect on this server yet.
 */
export interface TeamSettings {
  features: TeamJson['features']
  webhook_settings: TeamJson['webhook_settings']
  host_expiry_settings: TeamJson['host_expiry_settings']
  integrations: TeamJson['integrations']
  mdm: TeamJson['mdm']
  scripts: string[] | null
}

export interface Team {
  id: number
  createdAt: number
  name: string
  description: string
  /** null: the team uses the global agent options. */
  agentOptions: AgentOptions | null
  settings: TeamSettings
}

export function defaultTeamSettings(): TeamSettings {
  return {
    features: { enable_host_users: true, enable_software_inventory: true },
    webhook_settings: {
      failing_policies_webhook: {
        enable_failing_policies_webhook: false,
        destination_url: '',
        policy_ids: [],
        host_batch_size: 0,
      },
      host_status_webhook: {
        enable_host_status_webhook: false,
        destination_url: '',
        host_percentage: 0,
        days_count: 0,
      },
    },
    host_expiry_settings: { host_expiry_enabled: false, host_expiry_window: 0 },
    integrations: { jira: null, zendesk: null, google_calendar: null },
    mdm: defaultTeamMdm(),
    scripts: null,
  }
}

/** `change`'s MDM settings over `current`'s, each section merged key by key. */
function mergeTeamMdm(current: TeamSettings['mdm'], change: TeamSpec['mdm']): TeamSettings['mdm'] {
  const merged: Record<string, unknown> = { ...current }
  for (const [key, value] of Object.entries(change ?? {})) {
    const before = merged[key]
    merged[key] =
      typeof value === 'object' && value !== null && typeof before === 'object' && before !== null
        ? { ...before, ...value }
        : value
  }
  // Each part was validated and every section was complete before: the merge is a TeamMdm.
  return TeamMdm.parse(merged)
}

/** Applies a partial settings change (PATCH or spec) over the current settings. */
export function mergeTeamSettings(
  current: TeamSettings,
  change: Pick<
    TeamSpec,
    'features' | 'webhook_settings' | 'host_expiry_settings' | 'integrations' | 'mdm' | 'scripts'
  >,
): TeamSettings {
  return {
    features: { ...current.features, ...change.features },
    webhook_settings: {
      failing_policies_webhook: {
        ...current.webhook_settings.failing_policies_webhook,
        ...change.webhook_settings?.failing_policies_webhook,
      },
      host_status_webhook: {
        ...current.webhook_settings.host_status_webhook,
        ...change.webhook_settings?.host_status_webhook,
      },
    },
    host_expiry_settings: { ...current.host_expiry_settings, ...change.host_expiry_settings },
    integrations: { ...current.integrations, ...change.integrations },
    mdm: mergeTeamMdm(current.mdm, change.mdm),
    scripts: change.scripts === undefined ? current.scripts : change.scripts,
  }
}

/** Field problems of settings that the schema can't see. */
export function teamSettingsProblems(settings: TeamSettings): { name: string; reason: string }[] {
  const problems: { name: string; reason: string }[] = []
  const hooks: [string, boolean, string][] = [
    [
      'webhook_settings.failing_policies_webhook.destination_url',
      settings.webhook_settings.failing_policies_webhook.enable_failing_policies_webhook,
      settings.webhook_settings.failing_policies_webhook.destination_url,
    ],
    [
      'webhook_settings.host_status_webhook.destination_url',
      settings.webhook_settings.host_status_webhook.enable_host_status_webhook,
      settings.webhook_settings.host_status_webhook.destination_url,
    ],
    [
      'integrations.google_calendar.webhook_url',
      settings.integrations.google_calendar?.enable_calendar_events ?? false,
      settings.integrations.google_calendar?.webhook_url ?? '',
    ],
  ]
  for (const [name, enabled, url] of hooks) {
    const reason = httpUrlProblem(url, enabled)
    if (reason) {
      problems.push({ name, reason })
    }
  }
  if (
    settings.host_expiry_settings.host_expiry_enabled &&
    settings.host_expiry_settings.host_expiry_window <= 0
  ) {
    problems.push({
      name: 'host_expiry_settings.host_expiry_window',
      reason: 'must be a positive number of days when host expiry is enabled',
    })
  }
  return problems
}

/**
 * Parses agent options: strictly (unknown keys refused, as Fleet does) unless `force`, which
 * accepts any object. Returns the options or the field problems.
 */
export function parseAgentOptions(
  value: unknown,
  force: boolean,
): { options: AgentOptions } | { problems: { name: string; reason: string }[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [{ name: 'agent_options', reason: 'must be an object' }] }
  }
  const parsed = (force ? ForcedAgentOptions : AgentOptions).safeParse(value)
  if (parsed.success) {
    return { options: parsed.data }
  }
  return {
    problems: issueDetails(parsed.error, { prefix: 'agent_options', fallback: 'agent_options' }),
  }
}
