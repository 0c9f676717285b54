import { z } from 'zod'
import { IdParams, ListQuery, Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'
import { EnrollSecret, EnrollSecretInput, MAX_ENROLL_SECRETS } from './enroll-secrets.js'
import {
  AppleOsUpdates,
  defaultMdmSettings,
  MacosSettings,
  MacosSetup,
  MdmSettings,
  WindowsSettings,
  WindowsUpdates,
} from './mdm-settings.js'
import { Role } from './roles.js'
import { User } from './users.js'

export const TeamFeatures = z
  .object({
    enable_host_users: z.boolean(),
    enable_software_inventory: z.boolean(),
    /** Extra detail queries by name (Fleet runs them with the host's vitals; stored here). */
    additional_queries: z.record(z.string(), z.string()).nullable().optional(),
    detail_query_overrides: z.record(z.string(), z.string().nullable()).nullable().optional(),
  })
  .strict()

export const FailingPoliciesWebhook = z
  .object({
    enable_failing_policies_webhook: z.boolean(),
    destination_url: z.string().max(2048),
    policy_ids: z.array(z.number().int()),
    host_batch_size: z.number().int().min(0),
  })
  .strict()

export const HostStatusWebhook = z
  .object({
    enable_host_status_webhook: z.boolean(),
    destination_url: z.string().max(2048),
    host_percentage: z.number().min(0).max(100),
    days_count: z.number().int().min(0),
  })
  .strict()

export const TeamWebhookSettings = z
  .object({
    failing_policies_webhook: FailingPoliciesWebhook,
    host_status_webhook: HostStatusWebhook,
  })
  .strict()

/** A team's integrations: which global Jira/Zendesk integrations and calendar events it uses. */
export const TeamIntegrations = z
  .object({
    jira: z.array(z.record(z.string(), z.unknown())).nullable(),
    zendesk: z.array(z.record(z.string(), z.unknown())).nullable(),
    google_calendar: z
      .object({ enable_calendar_events: z.boolean(), webhook_url: z.string().max(2048) })
      .strict()
      .nullable(),
  })
  .strict()

/** A team's MDM settings (Fleet's `TeamMDM`); stored, with no effect on this server yet. */
export const TeamMdm = MdmSettings.pick({
  enable_disk_encryption: true,
  windows_require_bitlocker_pin: true,
  macos_updates: true,
  ios_updates: true,
  ipados_updates: true,
  windows_updates: true,
  macos_settings: true,
  windows_settings: true,
  macos_setup: true,
})

/** A new team's MDM settings: nothing configured, as in Fleet. */
export function defaultTeamMdm(): z.infer<typeof TeamMdm> {
  const global = defaultMdmSettings()
  return {
    enable_disk_encryption: false,
    macos_updates: global.macos_updates,
    ios_updates: global.ios_updates,
    ipados_updates: global.ipados_updates,
    windows_updates: global.windows_updates,
    macos_settings: global.macos_settings,
    windows_settings: global.windows_settings,
    macos_setup: global.macos_setup,
  }
}

/** A change to a team's MDM settings: any key, and any part of each. */
const TeamMdmInput = z
  .object({
    enable_disk_encryption: z.boolean(),
    windows_require_bitlocker_pin: z.boolean().nullable(),
    macos_updates: AppleOsUpdates.partial(),
    ios_updates: AppleOsUpdates.partial(),
    ipados_updates: AppleOsUpdates.partial(),
    windows_updates: WindowsUpdates.partial(),
    macos_settings: MacosSettings.partial(),
    windows_settings: WindowsSettings.partial(),
    macos_setup: MacosSetup.partial(),
  })
  .strict()
  .partial()

export const HostExpirySettings = z
  .object({ host_expiry_enabled: z.boolean(), host_expiry_window: z.number().int().min(0) })
  .strict()

export const Team = z
  .object({
    id: z.number().int(),
    created_at: Timestamp,
    name: z.string(),
    description: z.string(),
    // Output is looser than input: options stored with `force` may hold keys we don't know.
    agent_options: z.record(z.string(), z.unknown()).nullable(),
    user_count: z.number().int(),
    host_count: z.number().int(),
    secrets: z.array(EnrollSecret),
    features: TeamFeatures,
    webhook_settings: TeamWebhookSettings,
    host_expiry_settings: HostExpirySettings,
    integrations: TeamIntegrations,
    mdm: TeamMdm,
    /** Paths of scripts applied from Fleet's YAML (stored, no effect on this server yet). */
    scripts: z.array(z.string()).nullable(),
    /** The team's users with their role on it, when one team is shown (not in lists). */
    users: z.array(User.extend({ role: Role })).optional(),
  })
  .meta({ id: 'Team' })
export type Team = z.infer<typeof Team>

export const TeamName = z
  .string()
  .trim()
  .min(1, 'cannot be empty')
  .max(255, 'must be at most 255 characters')
  .refine((n) => !['all teams', 'no team'].includes(n.toLowerCase()), 'is a reserved team name')

/**
 * Editable team settings; every field optional so PATCH can send any subset. Unknown keys are
 * refused (400 naming them), so nothing sent is silently dropped.
 */
export const TeamSettingsInput = z
  .object({
    description: z.string().max(65_535).optional(),
    features: TeamFeatures.partial().optional(),
    webhook_settings: z
      .object({
        failing_policies_webhook: FailingPoliciesWebhook.partial().optional(),
        host_status_webhook: HostStatusWebhook.partial().optional(),
      })
      .strict()
      .optional(),
    host_expiry_settings: HostExpirySettings.partial().optional(),
    integrations: TeamIntegrations.partial().optional(),
    mdm: TeamMdmInput.optional(),
  })
  .strict()

const TeamResponse = z.object({ team: Team })
const ForceQuery = z.object({
  force: z.stringbool().default(false),
  dry_run: z.stringbool().default(false),
})
const SecretList = z.array(EnrollSecretInput).max(MAX_ENROLL_SECRETS, 'at most 50 secrets')

export const listTeams = defineEndpoint({
  method: 'GET',
  path: '/teams',
  mount: 'fleet',
  tag: 'Teams',
  summary: 'List the teams the user can see',
  auth: 'user',
  query: ListQuery,
  response: z.object({ teams: z.array(Team) }),
})

export const createTeam = defineEndpoint({
  method: 'POST',
  path: '/teams',
  mount: 'fleet',
  tag: 'Teams',
  summary: 'Create a team',
  auth: 'user',
  body: TeamSettingsInput.extend({ name: TeamName, secrets: SecretList.optional() }),
  response: TeamResponse,
})

export const getTeam = defineEndpoint({
  method: 'GET',
  path: '/teams/:id',
  mount: 'fleet',
  tag: 'Teams',
  summary: 'Get a team',
  auth: 'user',
  params: IdParams,
  response: TeamResponse,
})

export const modifyTeam = defineEndpoint({
  method: 'PATCH',
  path: '/teams/:id',
  mount: 'fleet',
  tag: 'Teams',
  summary: "Modify a team's name and settings",
  auth: 'user',
  params: IdParams,
  body: TeamSettingsInput.extend({
    name: TeamName.optional(),
    /** Refused with a pointer to `POST /hosts/transfer`, which moves hosts between teams. */
    host_ids: z.array(z.number().int()).optional(),
    /** Refused with a pointer to `PATCH /teams/{id}/users`, which also sets each user's role. */
    user_ids: z.array(z.number().int()).optional(),
  }),
  response: TeamResponse,
})

export const deleteTeam = defineEndpoint({
  method: 'DELETE',
  path: '/teams/:id',
  mount: 'fleet',
  tag: 'Teams',
  summary: 'Delete a team (its hosts move to no team)',
  auth: 'user',
  params: IdParams,
  response: z.object({}),
})

export const modifyTeamAgentOptions = defineEndpoint({
  method: 'POST',
  path: '/teams/:id/agent_options',
  mount: 'fleet',
  tag: 'Teams',
  summary: "Replace a team's agent options",
  auth: 'user',
  params: IdParams,
  query: ForceQuery,
  body: z.record(z.string(), z.unknown()),
  response: TeamResponse,
})

export const listTeamUsers = defineEndpoint({
  method: 'GET',
  path: '/teams/:id/users',
  mount: 'fleet',
  tag: 'Teams',
  summary: "List a team's users",
  auth: 'user',
  params: IdParams,
  query: ListQuery,
  response: z.object({ users: z.array(User) }),
})

export const addTeamUsers = defineEndpoint({
  method: 'PATCH',
  path: '/teams/:id/users',
  mount: 'fleet',
  tag: 'Teams',
  summary: 'Add users to a team or change their team role',
  auth: 'user',
  params: IdParams,
  body: z.object({
    users: z.array(z.object({ id: z.number().int().positive(), role: Role })).max(1000),
  }),
  response: TeamResponse,
})

export const removeTeamUsers = defineEndpoint({
  method: 'DELETE',
  path: '/teams/:id/users',
  mount: 'fleet',
  tag: 'Teams',
  summary: 'Remove users from a team',
  auth: 'user',
  params: IdParams,
  body: z.object({ users: z.array(z.object({ id: z.number().int().positive() })).max(1000) }),
  response: TeamResponse,
})

export const getTeamSecrets = defineEndpoint({
  method: 'GET',
  path: '/teams/:id/secrets',
  mount: 'fleet',
  tag: 'Enroll secrets',
  summary: "A team's enroll secrets",
  auth: 'user',
  params: IdParams,
  response: z.object({ secrets: z.array(EnrollSecret) }),
})

export const modifyTeamSecrets = defineEndpoint({
  method: 'PATCH',
  path: '/teams/:id/secrets',
  mount: 'fleet',
  tag: 'Enroll secrets',
  summary: "Replace a team's enroll secrets",
  auth: 'user',
  params: IdParams,
  body: z.object({ secrets: SecretList }),
  response: z.object({ secrets: z.array(EnrollSecret) }),
})

/** A team as written in a `kind: team` YAML spec. */
export const TeamSpec = TeamSettingsInput.extend({
  name: TeamName,
  agent_options: z.record(z.string(), z.unknown()).nullable().optional(),
  secrets: SecretList.optional(),
  /** Paths of scripts applied from Fleet's YAML; stored, no effect on this server yet. */
  scripts: z.array(z.string().max(4096)).nullable().optional(),
})
export type TeamSpec = z.infer<typeof TeamSpec>

export const applyTeamSpecs = defineEndpoint({
  method: 'POST',
  path: '/spec/teams',
  mount: 'fleet',
  tag: 'Teams',
  summary: 'Create or update teams from specs (fleetctl apply)',
  auth: 'user',
  query: ForceQuery,
  body: z.object({ specs: z.array(TeamSpec).min(1).max(1000) }),
  response: z.object({ team_ids_by_name: z.record(z.string(), z.number().int()) }),
})
