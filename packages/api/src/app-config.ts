import { z } from 'zod'
import { AgentOptions } from './agent-options.js'
import { Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'
import { FailingPoliciesWebhook, HostExpirySettings } from './teams.js'

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

export const HostStatusWebhook = z
  .object({
    enable_host_status_webhook: z.boolean(),
    destination_url: Url,
    host_percentage: z.number().min(0).max(100),
    days_count: z.number().int().min(0),
  })
  .strict()

export const VulnerabilitiesWebhook = z
  .object({
    enable_vulnerabilities_webhook: z.boolean(),
    destination_url: Url,
    host_batch_size: z.number().int().min(0),
  })
  .strict()

export const WebhookSettings = z
  .object({
    host_status_webhook: HostStatusWebhook,
    failing_policies_webhook: FailingPoliciesWebhook,
    vulnerabilities_webhook: VulnerabilitiesWebhook,
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
    interval: '24h0m0s',
  }
}

export const Features = z
  .object({
    enable_host_users: z.boolean(),
    enable_software_inventory: z.boolean(),
    additional_queries: z.record(z.string(), z.string()).nullable(),
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
    integrations: z.object({ jira: z.array(z.unknown()), zendesk: z.array(z.unknown()) }).strict(),
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
})

/** `GET /config`: non-admins get no SMTP settings or agent options; passwords are masked. */
export const AppConfig = StoredAppConfig.partial({
  smtp_settings: true,
  agent_options: true,
  integrations: true,
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
  response: AppConfig,
})
