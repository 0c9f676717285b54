import { z } from 'zod'
import { defineEndpoint } from './contract.js'
import { ConfigurationProfile, ProfileUuidParams, ProfilesSummary } from './mdm-profiles.js'

const TAG = 'Configuration profiles'

/** Where a profile is on one host (Fleet's `status`; null: not sent yet). */
export const HostProfileStatus = z.enum(['pending', 'verifying', 'verified', 'failed'])
export type HostProfileStatus = z.infer<typeof HostProfileStatus>

/** Fleet's `operation_type` of a host's profile row. */
export const HostProfileOperation = z.enum(['install', 'remove'])

/**
 * A profile as it stands on one host, as Fleet's host page lists it (`host.mdm.profiles`): its
 * delivery status, whether it is being installed or removed, and the device's error if it failed.
 */
export const HostMdmProfile = z
  .object({
    profile_uuid: z.string(),
    name: z.string(),
    identifier: z.string().optional(),
    /** null: not sent to the device yet (Fleet shows it as pending). */
    status: HostProfileStatus.nullable(),
    operation_type: HostProfileOperation,
    detail: z.string(),
    platform: z.literal('darwin'),
  })
  .meta({ id: 'HostMdmProfile' })
export type HostMdmProfile = z.infer<typeof HostMdmProfile>

/** GET /configuration_profiles/:profile_uuid/status — hosts by this profile's status. */
export const getConfigurationProfileStatus = defineEndpoint({
  method: 'GET',
  path: '/configuration_profiles/:profile_uuid/status',
  mount: 'fleet',
  tag: TAG,
  summary:
    'Hosts by their status for one configuration profile (verified, verifying, pending, failed)',
  auth: 'user',
  params: ProfileUuidParams,
  response: ProfilesSummary,
})

/**
 * A profile assigned to a host: Fleet's profile fields, plus where it stands on the host
 * (`status`, `operation_type`, `detail`), which Fleet shows on the host page.
 */
export const HostConfigurationProfile = ConfigurationProfile.omit({
  labels_include_all: true,
  labels_include_any: true,
  labels_exclude_any: true,
})
  .extend({
    status: HostProfileStatus.nullable(),
    operation_type: HostProfileOperation,
    detail: z.string(),
  })
  .meta({ id: 'HostConfigurationProfile' })
export type HostConfigurationProfile = z.infer<typeof HostConfigurationProfile>

export const listHostConfigurationProfiles = defineEndpoint({
  method: 'GET',
  path: '/hosts/:id/configuration_profiles',
  mount: 'fleet',
  tag: TAG,
  summary: "A host's .mobileconfig profiles and their delivery status",
  auth: 'user',
  params: z.object({ id: z.coerce.number().int().positive() }),
  response: z.object({ host_id: z.number().int(), profiles: z.array(HostConfigurationProfile) }),
})

/** Sends a profile to a host again (only once it is verified or failed, as Fleet). */
export const resendHostConfigurationProfile = defineEndpoint({
  method: 'POST',
  path: '/hosts/:host_id/configuration_profiles/:profile_uuid/resend',
  mount: 'fleet',
  tag: TAG,
  summary: 'Resend a configuration profile to a host',
  auth: 'user',
  params: ProfileUuidParams.extend({ host_id: z.coerce.number().int().positive() }),
  status: 202,
  response: z.object({}),
})

/** Sends a profile again to every host where it has `filters.profile_status` (Fleet: failed). */
export const batchResendConfigurationProfile = defineEndpoint({
  method: 'POST',
  path: '/configuration_profiles/resend/batch',
  mount: 'fleet',
  tag: TAG,
  summary: 'Resend a configuration profile to every host where it failed',
  auth: 'user',
  body: z.object({
    profile_uuid: z.string().min(1).max(37),
    filters: z.object({ profile_status: z.literal('failed') }),
  }),
  status: 202,
  response: z.object({}),
})
