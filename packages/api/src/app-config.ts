import { z } from 'zod'
import { AgentOptions } from './agent-options.js'
import { MdmSettings } from './mdm-settings.js'
import { Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'
import { FailingPoliciesWebhook, HostExpirySettings, HostStatusWebhook } from './teams.js'

const Url = z.string().max(2048)

export const OrgInfo = z
  .object({
    org_name: z.string().max(255),
    org_logo_url: Url,
    org_logo_url_light_background: Url,
    contact_url: Url,
  })
  .strict()

export const ServerSettings = z
  .object({
    server_url: Url,
    live_query_disabled: z.boolean(),
    query_reports_disabled: z.boolean(),
    scripts_disabled: z.boolean(),
    ai_features_disabled: z.boolean(),
    enable_analytics: z.boolean(),
    deferred_save_host: z.boolean(),
    query_report_cap: z.number().int().min(0).max(100_000),
    debug_host_ids: z.array(z.number().int()).nullable().optional(),
  })
  .strict()

export const SmtpSettings = z
  .object({
    enable_smtp: z.boolean(),
    configured: z.boolean(),
    sender_address: z.string().max(255),
    server: z.string().max(255),
    port: z.number().int().min(0).max(65_535),
    authentication_type: z.enum(['authtype_username_password', 'authtype_none']),
    user_name: z.string().max(255),
    password: z.string().max(1024),
    enable_ssl_tls: z.boolean(),
    authentication_method: z.enum(['authmethod_plain', 'authmethod_cram_md5', 'authmethod_login']),
    domain: z.string().max(255),
    verify_ssl_certs: z.boolean(),
    enable_start_tls: z.boolean(),
  })
  .strict()

export const VulnerabilitiesWebhook = z
  .object({
    enable_vulnerabilities_webhook: z.boolean(),
    destination_url: Url,
    host_batch_size: z.number().int().min(0),
  })
  .strict()

export const ActivitiesWebhook = z
  .object({ enable_activities_webhook: z.boolean(), destination_url: Url })
  .strict()

export const WebhookSettings = z
  .object({
    host_status_webhook: HostStatusWebhook,
    failing_policies_webhook: FailingPoliciesWebhook,
    vulnerabilities_webhook: VulnerabilitiesWebhook,
    activities_webhook: ActivitiesWebhook,
    interval: z.string().max(32),
  })
  .strict()

/** Webhook settings of a fresh install: every webhook off, checked on Fleet's 24h interval. */
export function defaultWebhookSettings(): z.infer<typeof WebhookSettings> {
  return {
    host_status_webhook: {
      enable_host_status_webhook: false,
      destination_url: '',
      host_percentage: 0,
      days_count: 0,
    },
    failing_policies_webhook: {
      enable_failing_policies_webhook: false,
      destination_url: '',
      policy_ids: [],
      host_batch_size: 0,
    },
    vulnerabilities_webhook: {
      enable_vulnerabilities_webhook: false,
      destination_url: '',
      host_batch_size: 0,
    },
    activities_webhook: { enable_activities_webhook: false, destination_url: '' },
    interval: '24h0m0s',
  }
}

export const Features = z
  .object({
    enable_host_users: z.boolean(),
    enable_software_inventory: z.boolean(),
    additional_queries: z.record(z.string(), z.string()).nullable(),
    detail_query_overrides: z.record(z.string(), z.string().nullable()).nullable().optional(),
  })
  .strict()

/** Single sign-on through a SAML identity provider (admins only see these). */
export const SsoSettings = z
  .object({
    entity_id: z.string().max(1024),
    issuer_uri: z.string().max(2048),
    idp_image_url: Url,
    metadata: z.string().max(65_536),
    metadata_url: Url,
    idp_name: z.string().max(255),
    enable_sso: z.boolean(),
    enable_sso_idp_login: z.boolean(),
    enable_jit_provisioning: z.boolean(),
    enable_jit_role_sync: z.boolean(),
  })
  .strict()

export const ActivityExpirySettings = z
  .object({
    activity_expiry_enabled: z.boolean(),
    activity_expiry_window: z.number().int(),
  })
  .strict()

/** Third-party integrations. Secrets in them (`password`, `api_token`) are masked on the way out. */
export const Integrations = z
  .object({
    jira: z.array(z.record(z.string(), z.unknown())).nullable(),
    zendesk: z.array(z.record(z.string(), z.unknown())).nullable(),
    google_calendar: z.array(z.record(z.string(), z.unknown())).nullable(),
    ndes_scep_proxy: z.record(z.string(), z.unknown()).nullable(),
  })
  .strict()

/** The part of the app config that `PATCH /config` edits and the database stores. */
export const StoredAppConfig = z
  .object({
    org_info: OrgInfo,
    server_settings: ServerSettings,
    smtp_settings: SmtpSettings,
    host_expiry_settings: HostExpirySettings,
    features: Features,
    agent_options: AgentOptions,
    fleet_desktop: z.object({ transparency_url: Url }).strict(),
    webhook_settings: WebhookSettings,
    integrations: Integrations,
    sso_settings: SsoSettings,
    activity_expiry_settings: ActivityExpirySettings,
    vulnerability_settings: z.object({ databases_path: z.string().max(4096) }).strict(),
    mdm: MdmSettings,
    /** Paths of scripts applied from Fleet's YAML. */
    scripts: z.array(z.string().max(4096)).nullable(),
    gitops: z.object({ gitops_mode_enabled: z.boolean(), repository_url: Url }).strict(),
  })
  .strict()
export type StoredAppConfig = z.infer<typeof StoredAppConfig>

/**
 * The license, as Fleet reports it. This server includes every feature without a license key:
 * premium, for no particular device count (Fleet omits `device_count` then), never expiring.
 */
export const LicenseInfo = z.object({
  tier: z.string(),
  organization: z.string(),
  device_count: z.number().int().optional(),
  expiration: Timestamp,
  note: z.string(),
})
export type LicenseInfo = z.infer<typeof LicenseInfo>

/** What `license.expiration` says when nothing expires: the last second Go's time can format. */
export const LICENSE_NEVER_EXPIRES = '9999-12-31T23:59:59Z'

/** Read-only facts from the server's own configuration, shown beside the stored config. */
export const ServerFacts = z.object({
  license: LicenseInfo,
  logging: z.object({ debug: z.boolean(), json: z.boolean() }),
  update_interval: z.object({ osquery_detail: z.number(), osquery_policy: z.number() }),
  /** The server's vulnerability-scanning configuration (durations in nanoseconds, as Fleet). */
  vulnerabilities: z.object({
    databases_path: z.string(),
    periodicity: z.number(),
    cpe_database_url: z.string(),
    cpe_translations_url: z.string(),
    cve_feed_prefix_url: z.string(),
    disable_schedule: z.boolean(),
    disable_data_sync: z.boolean(),
    recent_vulnerability_max_age: z.number(),
  }),
})

/**
 * `GET /config`: non-admins get no SMTP or SSO settings, agent options or integrations; passwords
 * are masked.
 */
export const AppConfig = StoredAppConfig.partial({
  smtp_settings: true,
  agent_options: true,
  integrations: true,
  sso_settings: true,
})
  .extend(ServerFacts.shape)
  .extend({ agent_options: z.record(z.string(), z.unknown()).optional() })
  .meta({ id: 'AppConfig' })
export type AppConfig = z.infer<typeof AppConfig>

export const getConfig = defineEndpoint({
  method: 'GET',
  path: '/config',
  mount: 'fleet',
  tag: 'Config',
  summary: 'The organization settings',
  auth: 'user',
  response: AppConfig,
})

export const modifyConfig = defineEndpoint({
  method: 'PATCH',
  path: '/config',
  mount: 'fleet',
  tag: 'Config',
  summary: 'Change organization settings (deep-merged into the stored settings)',
  auth: 'user',
  query: z.object({
    force: z.stringbool().default(false),
    dry_run: z.stringbool().default(false),
  }),
  body: z.record(z.string(), z.unknown()),
  /**
   * `warnings` names each setting the patch set that is stored but has no effect yet on this
   * server (MDM, SSO, scripts...), so a configuration exported from Fleet applies and says so.
   */
  response: AppConfig.extend({ warnings: z.array(z.string()).optional() }),
})
