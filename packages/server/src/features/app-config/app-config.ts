import {
  DEFAULT_AGENT_OPTIONS,
  defaultMdmSettings,
  defaultWebhookSettings,
  httpUrlProblem,
  LICENSE_NEVER_EXPIRES,
  type LicenseInfo,
  type StoredAppConfig,
} from '@fleet/api'

/** The settings a fresh installation starts with (Fleet's defaults). */
export function defaultAppConfig(): StoredAppConfig {
  return {
    org_info: {
      org_name: '',
      org_logo_url: '',
      org_logo_url_light_background: '',
      contact_url: 'https://fleetdm.com/company/contact',
    },
    server_settings: {
      server_url: '',
      live_query_disabled: false,
      query_reports_disabled: false,
      scripts_disabled: false,
      ai_features_disabled: false,
      enable_analytics: false,
      deferred_save_host: false,
      query_report_cap: 1000,
    },
    smtp_settings: {
      enable_smtp: false,
      configured: false,
      sender_address: '',
      server: '',
      port: 587,
      authentication_type: 'authtype_username_password',
      user_name: '',
      password: '',
      enable_ssl_tls: true,
      authentication_method: 'authmethod_plain',
      domain: '',
      verify_ssl_certs: true,
      enable_start_tls: true,
    },
    host_expiry_settings: { host_expiry_enabled: false, host_expiry_window: 0 },
    features: {
      enable_host_users: true,
      enable_software_inventory: true,
      additional_queries: null,
    },
    agent_options: structuredClone(DEFAULT_AGENT_OPTIONS),
    fleet_desktop: { transparency_url: '' },
    webhook_settings: defaultWebhookSettings(),
    integrations: { jira: [], zendesk: [], google_calendar: [], ndes_scep_proxy: null },
    sso_settings: {
      entity_id: '',
      issuer_uri: '',
      idp_image_url: '',
      metadata: '',
      metadata_url: '',
      idp_name: '',
      enable_sso: false,
      enable_sso_idp_login: false,
      enable_jit_provisioning: false,
      enable_jit_role_sync: false,
    },
    activity_expiry_settings: { activity_expiry_enabled: false, activity_expiry_window: 0 },
    vulnerability_settings: { databases_path: '' },
    mdm: defaultMdmSettings(),
    scripts: null,
    gitops: { gitops_mode_enabled: false, repository_url: '' },
  }
}

/**
 * The license `GET /config` and the device API report: every feature is included, with no license
 * key, no device limit and no expiry. The organization is the one the settings name.
 */
export function licenseInfo(organization: string): LicenseInfo {
  return {
    tier: 'premium',
    organization,
    expiration: LICENSE_NEVER_EXPIRES,
    note: 'every feature is included; no license key is needed',
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Merges `patch` into `base`: objects merge key by key, anything else (arrays, scalars, null)
 * replaces. Keys listed in `replaceWhole` (like `agent_options`) replace without merging, as in Fleet.
 */
export function mergePatch(
  base: Record<string, unknown>,
  patch: Record<string, unknown>,
  replaceWhole: readonly string[] = [],
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(patch)) {
    const current = result[key]
    result[key] =
      isPlainObject(value) && isPlainObject(current) && !replaceWhole.includes(key)
        ? mergePatch(current, value)
        : value
  }
  return result
}

/** Rules the schema can't express; returns field problems (empty when fine). */
export function checkAppConfigRules(config: StoredAppConfig): { name: string; reason: string }[] {
  const problems: { name: string; reason: string }[] = []
  const urls: [string, string][] = [
    ['server_settings.server_url', config.server_settings.server_url],
    ['org_info.org_logo_url', config.org_info.org_logo_url],
    ['org_info.org_logo_url_light_background', config.org_info.org_logo_url_light_background],
    ['org_info.contact_url', config.org_info.contact_url],
    ['fleet_desktop.transparency_url', config.fleet_desktop.transparency_url],
    ['sso_settings.idp_image_url', config.sso_settings.idp_image_url],
    ['sso_settings.metadata_url', config.sso_settings.metadata_url],
    ['mdm.apple_server_url', config.mdm.apple_server_url],
    ['mdm.macos_migration.webhook_url', config.mdm.macos_migration.webhook_url],
    ['gitops.repository_url', config.gitops.repository_url],
  ]
  for (const [name, url] of urls) {
    const reason = httpUrlProblem(url)
    if (reason) {
      problems.push({ name, reason })
    }
  }
  const expiries: [string, boolean, number][] = [
    [
      'host',
      config.host_expiry_settings.host_expiry_enabled,
      config.host_expiry_settings.host_expiry_window,
    ],
    [
      'activity',
      config.activity_expiry_settings.activity_expiry_enabled,
      config.activity_expiry_settings.activity_expiry_window,
    ],
  ]
  for (const [what, enabled, window] of expiries) {
    if (enabled && window <= 0) {
      problems.push({
        name: `${what}_expiry_settings.${what}_expiry_window`,
        reason: `must be a positive number of days when ${what} expiry is enabled`,
      })
    }
  }
  const hooks = config.webhook_settings
  const enabledHooks: [string, boolean, string][] = [
    [
      'host_status_webhook',
      hooks.host_status_webhook.enable_host_status_webhook,
      hooks.host_status_webhook.destination_url,
    ],
    [
      'failing_policies_webhook',
      hooks.failing_policies_webhook.enable_failing_policies_webhook,
      hooks.failing_policies_webhook.destination_url,
    ],
    [
      'vulnerabilities_webhook',
      hooks.vulnerabilities_webhook.enable_vulnerabilities_webhook,
      hooks.vulnerabilities_webhook.destination_url,
    ],
    [
      'activities_webhook',
      hooks.activities_webhook.enable_activities_webhook,
      hooks.activities_webhook.destination_url,
    ],
  ]
  for (const [name, enabled, destination] of enabledHooks) {
    const reason = httpUrlProblem(destination, enabled)
    if (reason) {
      problems.push({ name: `webhook_settings.${name}.destination_url`, reason })
    }
  }
  return problems
}
