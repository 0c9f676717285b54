import { z } from 'zod'
import { OrgInfo } from './app-config.js'
import { Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'
import { HostDetailJson } from './hosts.js'
import { LabelMembershipType, LabelType } from './labels.js'
import { DeviceToken } from './orbit.js'

/**
 * Fleet Desktop's device API (`/api/latest/fleet/device/{token}/...`, "My device"). No user
 * session: the device token in the path, registered by orbit and younger than an hour, is the
 * credential and names the one host it may see. Unknown or expired tokens answer 401; too many
 * of them from one IP answer 429. `HEAD /device/{token}/ping` and `GET /device/{token}/transparency`
 * (a 307 redirect) are served beside these.
 */
export const DeviceTokenParams = z.object({ token: DeviceToken })

/** The transparency page Fleet Desktop opens unless the organization set its own. */
export const DEFAULT_TRANSPARENCY_URL = 'https://fleetdm.com/transparency'

export const DeviceHostLabel = z.object({
  id: z.number().int(),
  created_at: Timestamp,
  updated_at: Timestamp,
  name: z.string(),
  description: z.string(),
  query: z.string(),
  platform: z.string(),
  label_type: LabelType,
  label_membership_type: LabelMembershipType,
})

/** The host as its own user sees it: the host detail, its labels and its users. */
export const DeviceHostJson = HostDetailJson.extend({
  labels: z.array(DeviceHostLabel),
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
    license: z.object({ tier: z.string() }),
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
