import { defaultWebhookSettings, LICENSE_NEVER_EXPIRES, type AppConfig } from './app-config.js'
import { defaultMdmSettings } from './mdm-settings.js'
import { defaultTeamMdm, type Team } from './teams.js'
import type { User } from './users.js'

const AT = '2024-01-02T03:04:05Z'

/**
 * Example payloads as the server sends them: for documentation and for tests of clients that
 * need a well-formed response without a server.
 */
export const EXAMPLE_USER: User = {
  id: 1,
  created_at: AT,
  updated_at: AT,
  name: 'Admin',
  email: 'admin@example.com',
  global_role: 'admin',
  enabled: true,
  force_password_reset: false,
  gravatar_url: '',
  sso_enabled: false,
  mfa_enabled: false,
  api_only: false,
  teams: [],
}

export const EXAMPLE_TEAM: Team = {
  id: 1,
  created_at: AT,
  name: 'Workstations',
  description: '',
  agent_options: null,
  user_count: 0,
  host_count: 0,
  secrets: [],
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

export const EXAMPLE_APP_CONFIG: AppConfig = {
  org_info: {
    org_name: 'Acme',
    org_logo_url: '',
    org_logo_url_light_background: '',
    contact_url: 'https://fleetdm.com/company/contact',
  },
  server_settings: {
    server_url: 'https://fleet.example.com',
    live_query_disabled: false,
    query_reports_disabled: false,
    scripts_disabled: false,
    ai_features_disabled: false,
    enable_analytics: false,
    deferred_save_host: false,
    query_report_cap: 1000,
  },
  host_expiry_settings: { host_expiry_enabled: false, host_expiry_window: 0 },
  features: { enable_host_users: true, enable_software_inventory: true, additional_queries: null },
  fleet_desktop: { transparency_url: '' },
  webhook_settings: defaultWebhookSettings(),
  license: {
    tier: 'premium',
    organization: 'Acme',
    expiration: LICENSE_NEVER_EXPIRES,
    note: 'every feature is included; no license key is needed',
  },
  logging: { debug: false, json: false },
  update_interval: { osquery_detail: 3_600_000_000_000, osquery_policy: 3_600_000_000_000 },
  activity_expiry_settings: { activity_expiry_enabled: false, activity_expiry_window: 0 },
  vulnerability_settings: { databases_path: '' },
  mdm: defaultMdmSettings(),
  scripts: null,
  gitops: { gitops_mode_enabled: false, repository_url: '' },
  vulnerabilities: {
    databases_path: '',
    periodicity: 3_600_000_000_000,
    cpe_database_url: '',
    cpe_translations_url: '',
    cve_feed_prefix_url: '',
    disable_schedule: true,
    disable_data_sync: true,
    recent_vulnerability_max_age: 2_592_000_000_000_000,
  },
}
