import { z } from 'zod'

/**
 * Orbit's (fleetd's) API as Fleet serves it: `/api/fleet/orbit/*` (alias `/api/v1/fleet/orbit/*`).
 * Not REST endpoints of the user API: orbit authenticates with `orbit_node_key` in the JSON body,
 * and a 401 makes it enroll again. Errors use Fleet's error body.
 */
export const ORBIT_PATHS = {
  enroll: '/api/fleet/orbit/enroll',
  config: '/api/fleet/orbit/config',
  deviceToken: '/api/fleet/orbit/device_token',
  ping: '/api/fleet/orbit/ping',
  /** Unauthenticated reachability check of the device (Fleet Desktop) API. */
  devicePing: '/api/fleet/device/ping',
} as const

/** Response header listing what the server supports, comma-separated (orbit reads it). */
export const CAPABILITIES_HEADER = 'X-Fleet-Capabilities'

/**
 * What this server offers orbit: the orbit-authenticated endpoints, and device-token rotation
 * (orbit rotates the Fleet Desktop token only when the server announces it).
 */
export const ORBIT_CAPABILITIES = ['orbit_endpoints', 'token_rotation'] as const

/** What the device API offers Fleet Desktop beyond the basics (none yet: no error reporting). */
export const DEVICE_CAPABILITIES: readonly string[] = []

const Field = z.string().max(255).default('')

/** `POST /api/fleet/orbit/enroll`. Unknown keys sent by newer orbits are ignored. */
export const OrbitEnrollRequest = z.object({
  enroll_secret: z.string().max(255),
  hardware_uuid: z.string().min(1, 'is required').max(255),
  hardware_serial: Field,
  hostname: Field,
  platform: z.string().max(64).default(''),
  platform_like: z.string().max(64).default(''),
  /** Set only when osquery runs with `--host_identifier=instance`. */
  osquery_identifier: Field,
  computer_name: Field,
  hardware_model: Field,
})
export type OrbitEnrollRequest = z.infer<typeof OrbitEnrollRequest>

export const OrbitEnrollResponse = z.object({ orbit_node_key: z.string() })

/** Every orbit-authenticated body carries the node key; missing or empty answers 401. */
export const OrbitNodeKeyRequest = z.object({ orbit_node_key: z.string().max(1024).optional() })

/** A Fleet Desktop device token: a v4 UUID that orbit generates and rotates. */
export const DeviceToken = z.uuidv4('must be a v4 UUID')

/** `POST /api/fleet/orbit/device_token`: registers (or rotates to) the host's device token. */
export const OrbitDeviceTokenRequest = OrbitNodeKeyRequest.extend({
  device_auth_token: DeviceToken,
})

/** What orbit should do besides its config; every flag false until a feature sets it. */
export const OrbitNotifications = z.object({
  renew_enrollment_profile: z.boolean(),
  rotate_disk_encryption_key: z.boolean(),
  needs_mdm_migration: z.boolean(),
  needs_programmatic_windows_mdm_enrollment: z.boolean(),
  windows_mdm_discovery_endpoint: z.string(),
  needs_programmatic_windows_mdm_unenrollment: z.boolean(),
  pending_script_execution_ids: z.array(z.string()),
  enforce_bitlocker_encryption: z.boolean(),
  pending_software_installer_ids: z.array(z.string()),
  run_setup_experience: z.boolean(),
  run_disk_encryption_escrow: z.boolean(),
})
export type OrbitNotifications = z.infer<typeof OrbitNotifications>

export const OrbitUpdateChannels = z.object({
  orbit: z.string(),
  osqueryd: z.string(),
  desktop: z.string(),
})

/**
 * `POST /api/fleet/orbit/config`, from the host's team agent options (else the global ones).
 * `command_line_startup_flags` and `extensions` are absent when the agent options don't set
 * them, as in Fleet: orbit then leaves its osquery flags and extensions alone.
 */
export const OrbitConfig = z.object({
  script_execution_timeout: z.number().int(),
  command_line_startup_flags: z.record(z.string(), z.unknown()).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
  nudge_config: z.record(z.string(), z.unknown()).nullable(),
  notifications: OrbitNotifications,
  /** Only when the agent options set `update_channels` (a component they omit is ""). */
  update_channels: OrbitUpdateChannels.optional(),
})
export type OrbitConfig = z.infer<typeof OrbitConfig>
