import { MDM_SERVER_STATE_KEYS, type StoredAppConfig } from '@fleet/api'
import { defaultAppConfig, isPlainObject } from './app-config.js'

/**
 * Settings this server stores and shows, so a configuration exported from Fleet applies
 * unchanged, but that change nothing yet: nothing here sends email, signs users in with SSO,
 * expires hosts, calls these webhooks or integrations, scans for vulnerabilities,
 * manages devices (MDM) or runs scripts. `docs/configuration.md` lists them for users.
 */
export const INERT_SETTINGS = [
  'smtp_settings',
  'sso_settings',
  'host_expiry_settings',
  'server_settings.enable_analytics',
  'server_settings.deferred_save_host',
  'server_settings.ai_features_disabled',
  'server_settings.scripts_disabled',
  'server_settings.debug_host_ids',
  'features.enable_software_inventory',
  'features.additional_queries',
  'features.detail_query_overrides',
  'webhook_settings.host_status_webhook',
  'webhook_settings.vulnerabilities_webhook',
  'webhook_settings.activities_webhook',
  'integrations',
  'vulnerability_settings',
  'mdm',
  'scripts',
  'gitops',
] as const

function at(value: unknown, path: readonly string[]): unknown {
  let current = value
  for (const key of path) {
    if (!isPlainObject(current)) {
      return undefined
    }
    current = current[key]
  }
  return current
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * The settings a patch sets, away from their defaults, that have no effect here: each inert
 * setting the patch names, one level deeper when the patch sends an object (`mdm.macos_updates`).
 */
export function inertSettingsSet(patch: Record<string, unknown>, next: StoredAppConfig): string[] {
  const defaults = defaultAppConfig()
  const found: string[] = []
  for (const dotted of INERT_SETTINGS) {
    const path = dotted.split('.')
    const sent = at(patch, path)
    if (sent === undefined) {
      continue
    }
    const paths = isPlainObject(sent) ? Object.keys(sent).map((key) => [...path, key]) : [path]
    for (const p of paths) {
      if (!same(at(next, p), at(defaults, p))) {
        found.push(p.join('.'))
      }
    }
  }
  return found
}

/**
 * Takes out of a patch the `mdm` keys that describe the server (`enabled_and_configured`...),
 * which Fleet never lets a PATCH change either; returns the patch and the keys it tried to change.
 */
export function withoutServerState(
  patch: Record<string, unknown>,
  current: StoredAppConfig,
): { patch: Record<string, unknown>; ignored: string[] } {
  const mdm = patch.mdm
  if (!isPlainObject(mdm)) {
    return { patch, ignored: [] }
  }
  const kept = { ...mdm }
  const ignored: string[] = []
  for (const key of MDM_SERVER_STATE_KEYS) {
    if (key in kept) {
      if (kept[key] !== current.mdm[key]) {
        ignored.push(`mdm.${key}`)
      }
      delete kept[key]
    }
  }
  return { patch: { ...patch, mdm: kept }, ignored }
}
