import { z } from 'zod'
import { LicenseInfo, OrgInfo } from './app-config.js'
import { ListMeta, ListQuery, Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'
import { HostDetailJson } from './hosts.js'

/**
 * Fleet Desktop's device API (`/api/latest/fleet/device/{token}/...`, "My device"). No user
 * session: the device token in the path, registered by orbit and younger than an hour, is the
 * credential and names the one host it may see. Unknown or expired tokens answer 401; too many
 * of them from one IP answer 429. `HEAD /device/{token}/ping` and `GET /device/{token}/transparency`
 * (a 307 redirect) are served beside these. A token that is no UUID at all is just another invalid
 * token (401, as in Fleet), not a malformed request.
 */
export const DeviceTokenParams = z.object({ token: z.string().min(1) })

/** The transparency page Fleet Desktop opens unless the organization set its own. */
export const DEFAULT_TRANSPARENCY_URL = 'https://fleetdm.com/transparency'

/** The host as its own user sees it: the host detail, its labels and its users. */
export const DeviceHostJson = HostDetailJson.extend({
  dep_assigned_to_fleet: z.boolean(),
}).meta({ id: 'DeviceHost' })
export type DeviceHostJson = z.infer<typeof DeviceHostJson>

export const getDeviceHost = defineEndpoint({
  method: 'GET',
  path: '/device/:token',
  mount: 'fleet',
  tag: 'Device',
  summary: 'The "My device" page of the host holding this device token',
  auth: 'public',
  params: DeviceTokenParams,
  response: z.object({
    host: DeviceHostJson,
    org_logo_url: z.string(),
    org_logo_url_light_background: z.string(),
    org_contact_url: z.string(),
    license: LicenseInfo,
    global_config: z.object({
      mdm: z.object({ enabled_and_configured: z.boolean() }),
      features: z.object({ enable_software_inventory: z.boolean() }),
    }),
    self_service: z.boolean(),
  }),
})

export const getDeviceDesktop = defineEndpoint({
  method: 'GET',
  path: '/device/:token/desktop',
  mount: 'fleet',
  tag: 'Device',
  summary: "What Fleet Desktop's tray shows: failing policies, notifications, organization info",
  auth: 'public',
  params: DeviceTokenParams,
  response: z.object({
    failing_policies_count: z.number().int(),
    self_service: z.boolean(),
    notifications: z.object({
      needs_mdm_migration: z.boolean(),
      renew_enrollment_profile: z.boolean(),
    }),
    config: z.object({
      org_info: OrgInfo,
      mdm: z.object({ macos_migration: z.object({ mode: z.string() }) }),
    }),
  }),
})

/** A policy as the host's user sees it, with the host's own result. */
export const DevicePolicy = z.object({
  id: z.number().int(),
  name: z.string(),
  query: z.string(),
  description: z.string(),
  resolution: z.string(),
  platform: z.string(),
  critical: z.boolean(),
  /** `''` when the host has not run the policy yet. */
  response: z.enum(['pass', 'fail', '']),
})
export type DevicePolicy = z.infer<typeof DevicePolicy>

export const listDevicePolicies = defineEndpoint({
  method: 'GET',
  path: '/device/:token/policies',
  mount: 'fleet',
  tag: 'Device',
  summary: "The host's policies and whether it passes them",
  auth: 'public',
  params: DeviceTokenParams,
  response: z.object({ policies: z.array(DevicePolicy) }),
})

export const refetchDeviceHost = defineEndpoint({
  method: 'POST',
  path: '/device/:token/refetch',
  mount: 'fleet',
  tag: 'Device',
  summary: "Re-read the host's vitals on its next check-in",
  auth: 'public',
  params: DeviceTokenParams,
  response: z.object({}),
})

export const getDeviceApiFeatures = defineEndpoint({
  method: 'GET',
  path: '/device/:token/api_features',
  mount: 'fleet',
  tag: 'Device',
  summary: 'Optional device API features this server supports',
  auth: 'public',
  params: DeviceTokenParams,
  response: z.object({ features: z.record(z.string(), z.unknown()) }),
})

/** An email tied to the host, and where Fleet learned it. */
export const DeviceMapping = z.object({
  email: z.string(),
  source: z.string(),
})

export const listDeviceMapping = defineEndpoint({
  method: 'GET',
  path: '/device/:token/device_mapping',
  mount: 'fleet',
  tag: 'Device',
  summary: 'The emails mapped to the host (Google Chrome profiles, identity provider, custom)',
  auth: 'public',
  params: DeviceTokenParams,
  response: z.object({ host_id: z.number().int(), device_mapping: z.array(DeviceMapping) }),
})

/** Munki and MDM facts of a macOS host, as Fleet's `macadmins` extension tables report them. */
export const MacadminsData = z.object({
  munki: z.object({ version: z.string() }).nullable(),
  munki_issues: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      type: z.enum(['error', 'warning']),
      created_at: Timestamp,
    }),
  ),
  mobile_device_management: z
    .object({
      enrollment_status: z.string(),
      server_url: z.string(),
      name: z.string(),
      id: z.number().int().nullable(),
    })
    .nullable(),
})

export const getDeviceMacadmins = defineEndpoint({
  method: 'GET',
  path: '/device/:token/macadmins',
  mount: 'fleet',
  tag: 'Device',
  summary: "The host's Munki and MDM data; null when the host reported none",
  auth: 'public',
  params: DeviceTokenParams,
  response: z.object({ macadmins: MacadminsData.nullable() }),
})

/** A software title installed on the host, with its installed versions. */
export const DeviceSoftware = z.object({
  id: z.number().int(),
  name: z.string(),
  source: z.string(),
  status: z.string().nullable(),
  installed_versions: z.array(
    z.object({
      version: z.string(),
      last_opened_at: Timestamp.nullable(),
      installed_paths: z.array(z.string()),
    }),
  ),
})

export const listDeviceSoftware = defineEndpoint({
  method: 'GET',
  path: '/device/:token/software',
  mount: 'fleet',
  tag: 'Device',
  summary: "The host's software inventory (and self-service software with `self_service=true`)",
  auth: 'public',
  params: DeviceTokenParams,
  query: ListQuery.extend({ self_service: z.stringbool().optional() }),
  response: z.object({
    software: z.array(DeviceSoftware),
    count: z.number().int(),
    meta: ListMeta,
  }),
})

/**
 * An error a fleetd component (orbit, Fleet Desktop, osquery) reports about itself. Every field is
 * optional and unknown fields are ignored, as Fleet decodes it.
 */
export const FleetdError = z.object({
  error_source: z.string().max(256).optional(),
  error_source_version: z.string().max(256).optional(),
  error_timestamp: z.string().max(64).optional(),
  error_message: z.string().optional(),
  error_additional_info: z.record(z.string(), z.unknown()).nullable().optional(),
  vital: z.boolean().optional(),
})
export type FleetdError = z.infer<typeof FleetdError>

export const reportDeviceError = defineEndpoint({
  method: 'POST',
  path: '/device/:token/debug/errors',
  mount: 'fleet',
  tag: 'Device',
  summary: 'Log an error a fleetd component reports (written to the server log only)',
  auth: 'public',
  params: DeviceTokenParams,
  body: FleetdError,
  response: z.object({}),
})
