/** The settings the Organization settings page edits, as `GET /config` returns them. */
export interface OrgSettingsSource {
  org_info: { org_name: string; org_logo_url: string; contact_url: string }
  server_settings: { server_url: string }
  host_expiry_settings: { host_expiry_enabled: boolean; host_expiry_window: number }
  fleet_desktop: { transparency_url: string }
  webhook_settings: {
    host_status_webhook: {
      enable_host_status_webhook: boolean
      destination_url: string
      host_percentage: number
      days_count: number
    }
    activities_webhook: { enable_activities_webhook: boolean; destination_url: string }
  }
}

/** The form's fields: text inputs hold strings, checkboxes booleans. */
export interface OrgSettingsForm {
  orgName: string
  orgLogoUrl: string
  contactUrl: string
  serverUrl: string
  hostExpiryEnabled: boolean
  hostExpiryWindow: string
  transparencyUrl: string
  hostStatusEnabled: boolean
  hostStatusUrl: string
  hostStatusPercentage: string
  hostStatusDays: string
  activitiesEnabled: boolean
  activitiesUrl: string
}

export function toOrgSettingsForm(config: OrgSettingsSource): OrgSettingsForm {
  const hostStatus = config.webhook_settings.host_status_webhook
  const activities = config.webhook_settings.activities_webhook
  return {
    orgName: config.org_info.org_name,
    orgLogoUrl: config.org_info.org_logo_url,
    contactUrl: config.org_info.contact_url,
    serverUrl: config.server_settings.server_url,
    hostExpiryEnabled: config.host_expiry_settings.host_expiry_enabled,
    hostExpiryWindow: String(config.host_expiry_settings.host_expiry_window),
    transparencyUrl: config.fleet_desktop.transparency_url,
    hostStatusEnabled: hostStatus.enable_host_status_webhook,
    hostStatusUrl: hostStatus.destination_url,
    hostStatusPercentage: String(hostStatus.host_percentage),
    hostStatusDays: String(hostStatus.days_count),
    activitiesEnabled: activities.enable_activities_webhook,
    activitiesUrl: activities.destination_url,
  }
}

/** A whole number typed in a field, or a problem naming the field. */
function wholeNumber(value: string, label: string, problems: string[], max?: number): number {
  const trimmed = value.trim()
  const n = Number(trimmed)
  if (trimmed === '' || !Number.isInteger(n) || n < 0 || (max !== undefined && n > max)) {
    problems.push(
      `${label} must be a whole number${max === undefined ? ' of 0 or more' : ` from 0 to ${max}`}.`,
    )
    return 0
  }
  return n
}

/**
 * The `PATCH /config` body for the form (the server deep-merges it), or the problems found before
 * asking the server (numbers that are not numbers). URLs and required values are the server's to
 * judge: its message is shown as it gives it.
 */
export function orgSettingsPatch(
  form: OrgSettingsForm,
): { ok: true; patch: Record<string, unknown> } | { ok: false; problems: string[] } {
  const problems: string[] = []
  const window = wholeNumber(form.hostExpiryWindow, 'Host expiry window', problems)
  const percentage = wholeNumber(form.hostStatusPercentage, 'Percentage of hosts', problems, 100)
  const days = wholeNumber(form.hostStatusDays, 'Number of days', problems)
  if (problems.length > 0) {
    return { ok: false, problems }
  }
  return {
    ok: true,
    patch: {
      org_info: {
        org_name: form.orgName.trim(),
        org_logo_url: form.orgLogoUrl.trim(),
        contact_url: form.contactUrl.trim(),
      },
      server_settings: { server_url: form.serverUrl.trim() },
      host_expiry_settings: {
        host_expiry_enabled: form.hostExpiryEnabled,
        host_expiry_window: window,
      },
      fleet_desktop: { transparency_url: form.transparencyUrl.trim() },
      webhook_settings: {
        host_status_webhook: {
          enable_host_status_webhook: form.hostStatusEnabled,
          destination_url: form.hostStatusUrl.trim(),
          host_percentage: percentage,
          days_count: days,
        },
        activities_webhook: {
          enable_activities_webhook: form.activitiesEnabled,
          destination_url: form.activitiesUrl.trim(),
        },
      },
    },
  }
}
