import { AgentOptions, ForcedAgentOptions, httpUrlProblem, type TeamSpec } from '@fleet/api'
import { issueDetails } from '../../platform/errors/index.js'

export interface TeamSettings {
  features: { enable_host_users: boolean; enable_software_inventory: boolean }
  webhook_settings: {
    failing_policies_webhook: {
      enable_failing_policies_webhook: boolean
      destination_url: string
      policy_ids: number[]
      host_batch_size: number
    }
  }
  host_expiry_settings: { host_expiry_enabled: boolean; host_expiry_window: number }
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
    },
    host_expiry_settings: { host_expiry_enabled: false, host_expiry_window: 0 },
  }
}

/** Applies a partial settings change (PATCH or spec) over the current settings. */
export function mergeTeamSettings(
  current: TeamSettings,
  change: Pick<TeamSpec, 'features' | 'webhook_settings' | 'host_expiry_settings'>,
): TeamSettings {
  return {
    features: { ...current.features, ...change.features },
    webhook_settings: {
      failing_policies_webhook: {
        ...current.webhook_settings.failing_policies_webhook,
        ...change.webhook_settings?.failing_policies_webhook,
      },
    },
    host_expiry_settings: { ...current.host_expiry_settings, ...change.host_expiry_settings },
  }
}

/** Field problems of settings that the schema can't see. */
export function teamSettingsProblems(settings: TeamSettings): { name: string; reason: string }[] {
  const problems: { name: string; reason: string }[] = []
  const hook = settings.webhook_settings.failing_policies_webhook
  const reason = httpUrlProblem(hook.destination_url, hook.enable_failing_policies_webhook)
  if (reason) {
    problems.push({ name: 'webhook_settings.failing_policies_webhook.destination_url', reason })
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
