import { z } from 'zod'

/**
 * Fleet's MDM settings (`mdm` in the app config and in a team's config). This server has no MDM
 * yet: it accepts and stores these settings, so a configuration exported from Fleet applies, and
 * reports them as having no effect (see `docs/configuration.md`).
 */

/** A minimum OS version and the date by which hosts must reach it (Apple platforms). */
export const AppleOsUpdates = z
  .object({
    minimum_version: z.string().max(32).nullable(),
    deadline: z.string().max(32).nullable(),
  })
  .strict()

export const WindowsUpdates = z
  .object({
    deadline_days: z.number().int().min(0).max(30).nullable(),
    grace_period_days: z.number().int().min(0).max(7).nullable(),
  })
  .strict()

/** A configuration profile by path, optionally scoped by labels; old configs give the path alone. */
const ProfileSpec = z.union([
  z.string().max(4096),
  z
    .object({
      path: z.string().max(4096),
      labels: z.array(z.string()).optional(),
      labels_include_all: z.array(z.string()).optional(),
      labels_include_any: z.array(z.string()).optional(),
      labels_exclude_any: z.array(z.string()).optional(),
    })
    .strict(),
])

export const MacosSettings = z
  .object({
    custom_settings: z.array(ProfileSpec).nullable(),
    /** Deprecated by `mdm.enable_disk_encryption`; still accepted. */
    enable_disk_encryption: z.boolean().optional(),
  })
  .strict()

export const WindowsSettings = z
  .object({ custom_settings: z.array(ProfileSpec).nullable() })
  .strict()

export const MacosSetup = z
  .object({
    bootstrap_package: z.string().max(4096).nullable(),
    enable_end_user_authentication: z.boolean(),
    macos_setup_assistant: z.string().max(4096).nullable(),
    enable_release_device_manually: z.boolean().nullable(),
    script: z.string().max(4096).nullable().optional(),
    software: z.array(z.record(z.string(), z.unknown())).nullable().optional(),
    manual_agent_install: z.boolean().nullable().optional(),
  })
  .strict()

export const MacosMigration = z
  .object({
    enable: z.boolean(),
    mode: z.enum(['', 'voluntary', 'forced']),
    webhook_url: z.string().max(2048),
  })
  .strict()

/** The identity provider MDM end-user authentication uses. */
export const EndUserAuthentication = z
  .object({
    entity_id: z.string().max(1024),
    issuer_uri: z.string().max(2048),
    metadata: z.string().max(65_536),
    metadata_url: z.string().max(2048),
    idp_name: z.string().max(255),
  })
  .strict()

/**
 * The global `mdm` settings. `enabled_and_configured`, `windows_enabled_and_configured` and the
 * `apple_bm_*` flags describe the server (which has no MDM) and are never changed by a PATCH.
 */
export const MdmSettings = z
  .object({
    apple_server_url: z.string().max(2048),
    apple_bm_default_team: z.string().max(255).optional(),
    apple_business_manager: z
      .array(
        z
          .object({
            organization_name: z.string(),
            macos_team: z.string(),
            ios_team: z.string(),
            ipados_team: z.string(),
          })
          .strict(),
      )
      .nullable(),
    apple_bm_enabled_and_configured: z.boolean(),
    apple_bm_terms_expired: z.boolean(),
    enabled_and_configured: z.boolean(),
    windows_enabled_and_configured: z.boolean(),
    enable_disk_encryption: z.boolean(),
    windows_require_bitlocker_pin: z.boolean().nullable().optional(),
    macos_updates: AppleOsUpdates,
    ios_updates: AppleOsUpdates,
    ipados_updates: AppleOsUpdates,
    windows_updates: WindowsUpdates,
    macos_settings: MacosSettings,
    windows_settings: WindowsSettings,
    macos_setup: MacosSetup,
    macos_migration: MacosMigration,
    windows_migration_enabled: z.boolean(),
    enable_turn_on_windows_mdm_manually: z.boolean().optional(),
    windows_entra_tenant_ids: z.array(z.string()).nullable().optional(),
    end_user_authentication: EndUserAuthentication,
    volume_purchasing_program: z
      .array(z.object({ location: z.string(), teams: z.array(z.string()).nullable() }).strict())
      .nullable(),
  })
  .strict()
export type MdmSettings = z.infer<typeof MdmSettings>

/** The `mdm` keys that describe the server rather than configure it: a PATCH leaves them alone. */
export const MDM_SERVER_STATE_KEYS = [
  'enabled_and_configured',
  'windows_enabled_and_configured',
  'apple_bm_enabled_and_configured',
  'apple_bm_terms_expired',
] as const

function appleUpdates(): z.infer<typeof AppleOsUpdates> {
  return { minimum_version: null, deadline: null }
}

/** Fleet's MDM settings of a fresh install: nothing configured. */
export function defaultMdmSettings(): MdmSettings {
  return {
    apple_server_url: '',
    apple_business_manager: null,
    apple_bm_enabled_and_configured: false,
    apple_bm_terms_expired: false,
    enabled_and_configured: false,
    windows_enabled_and_configured: false,
    enable_disk_encryption: false,
    macos_updates: appleUpdates(),
    ios_updates: appleUpdates(),
    ipados_updates: appleUpdates(),
    windows_updates: { deadline_days: null, grace_period_days: null },
    macos_settings: { custom_settings: null },
    windows_settings: { custom_settings: null },
    macos_setup: {
      bootstrap_package: null,
      enable_end_user_authentication: false,
      macos_setup_assistant: null,
      enable_release_device_manually: false,
    },
    macos_migration: { enable: false, mode: '', webhook_url: '' },
    windows_migration_enabled: false,
    end_user_authentication: {
      entity_id: '',
      issuer_uri: '',
      metadata: '',
      metadata_url: '',
      idp_name: '',
    },
    volume_purchasing_program: null,
  }
}
