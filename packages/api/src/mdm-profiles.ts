import { z } from 'zod'
import { ListMeta } from './common.js'
import { defineEndpoint } from './contract.js'

const TAG = 'Configuration profiles'

/** A label a profile is scoped to; `broken` once the label was deleted (its name is kept). */
export const ProfileLabel = z
  .object({ name: z.string(), id: z.number().int().optional(), broken: z.boolean().optional() })
  .meta({ id: 'ProfileLabel' })
export type ProfileLabel = z.infer<typeof ProfileLabel>

/** One custom OS setting as Fleet lists it: a `.mobileconfig` (`a…`) or a DDM declaration (`d…`). */
export const ConfigurationProfile = z
  .object({
    profile_uuid: z.string(),
    /** null: "No team". */
    team_id: z.number().int().nullable(),
    name: z.string(),
    platform: z.literal('darwin'),
    identifier: z.string(),
    /** Base64 of the MD5 of a `.mobileconfig` (absent for declarations, as in Fleet). */
    checksum: z.string().optional(),
    created_at: z.string(),
    updated_at: z.string(),
    labels_include_all: z.array(ProfileLabel).optional(),
    labels_include_any: z.array(ProfileLabel).optional(),
    labels_exclude_any: z.array(ProfileLabel).optional(),
  })
  .meta({ id: 'ConfigurationProfile' })
export type ConfigurationProfile = z.infer<typeof ConfigurationProfile>

/** A team id from a query string or a multipart field; 0 or absent means "No team". */
const TeamIdField = z.coerce.number().int().min(0).optional()
/** A multipart list field: one value, or every value of a repeated field (`<name>[]`). */
const LabelNames = z.union([z.string(), z.array(z.string())]).optional()

export const uploadConfigurationProfile = defineEndpoint({
  method: 'POST',
  path: '/configuration_profiles',
  mount: 'fleet',
  tag: TAG,
  summary: 'Add a configuration profile (.mobileconfig) or a declaration (.json) for a team',
  auth: 'user',
  body: z.object({
    profile: z.string().min(1, 'profile multipart field is required'),
    /** The uploaded file's name (from its Content-Disposition): a declaration is named after it. */
    'profile.filename': z.string().optional(),
    team_id: TeamIdField,
    labels_include_all: LabelNames,
    'labels_include_all[]': LabelNames,
    labels_include_any: LabelNames,
    'labels_include_any[]': LabelNames,
    labels_exclude_any: LabelNames,
    'labels_exclude_any[]': LabelNames,
  }),
  response: z.object({ profile_uuid: z.string() }),
})

export const listConfigurationProfiles = defineEndpoint({
  method: 'GET',
  path: '/configuration_profiles',
  mount: 'fleet',
  tag: TAG,
  summary: "List a team's configuration profiles and declarations",
  auth: 'user',
  query: z.object({
    team_id: TeamIdField,
    page: z.coerce.number().int().min(0).optional(),
    per_page: z.coerce.number().int().min(1).max(10_000).optional(),
  }),
  response: z.object({ profiles: z.array(ConfigurationProfile), meta: ListMeta }),
})

export const ProfileUuidParams = z.object({ profile_uuid: z.string().min(1).max(37) })

/** `?alt=media` answers the file itself (`application/x-apple-aspen-config` or JSON) to download. */
export const getConfigurationProfile = defineEndpoint({
  method: 'GET',
  path: '/configuration_profiles/:profile_uuid',
  mount: 'fleet',
  tag: TAG,
  summary: 'Get a configuration profile, or download it with ?alt=media',
  auth: 'user',
  params: ProfileUuidParams,
  query: z.object({ alt: z.enum(['media']).optional() }),
  response: ConfigurationProfile,
})

export const deleteConfigurationProfile = defineEndpoint({
  method: 'DELETE',
  path: '/configuration_profiles/:profile_uuid',
  mount: 'fleet',
  tag: TAG,
  summary: 'Delete a configuration profile or declaration',
  auth: 'user',
  params: ProfileUuidParams,
  response: z.object({}),
})

export const ProfilesSummary = z
  .object({
    verified: z.number().int(),
    verifying: z.number().int(),
    failed: z.number().int(),
    pending: z.number().int(),
  })
  .meta({ id: 'ProfilesSummary' })
export type ProfilesSummary = z.infer<typeof ProfilesSummary>

export const getConfigurationProfilesSummary = defineEndpoint({
  method: 'GET',
  path: '/configuration_profiles/summary',
  mount: 'fleet',
  tag: TAG,
  summary: "Hosts of a team by the worst status of their profiles (Fleet's OS settings summary)",
  auth: 'user',
  query: z.object({ team_id: TeamIdField }),
  response: ProfilesSummary,
})

const BatchProfile = z.object({
  name: z.string().min(1).max(255),
  /** Base64 of the file; `profile` is the older key. */
  contents: z.string().optional(),
  profile: z.string().optional(),
  labels: z.array(z.string()).optional(),
  labels_include_all: z.array(z.string()).optional(),
  labels_include_any: z.array(z.string()).optional(),
  labels_exclude_any: z.array(z.string()).optional(),
})

/** GitOps: the whole set of a team's profiles; those not listed are deleted. */
export const batchSetProfiles = defineEndpoint({
  method: 'POST',
  path: '/mdm/profiles/batch',
  mount: 'fleet',
  tag: TAG,
  summary: "Replace a team's configuration profiles and declarations (GitOps)",
  auth: 'user',
  query: z.object({
    team_id: TeamIdField,
    team_name: z.string().optional(),
    dry_run: z
      .enum(['true', 'false', '1', '0'])
      .optional()
      .transform((v) => v === 'true' || v === '1'),
  }),
  body: z.object({ profiles: z.array(BatchProfile).nullable().default([]) }),
  status: 204,
  response: z.object({}),
})
