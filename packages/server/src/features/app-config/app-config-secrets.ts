import type { StoredAppConfig } from '@fleet/api'
import { isPlainObject } from './app-config.js'

/** Shown instead of a stored secret. Sending it back in a PATCH keeps the stored one. */
export const MASKED_PASSWORD = '********'

type Integrations = StoredAppConfig['integrations']

const mask = (value: unknown) => (value ? MASKED_PASSWORD : value)

function maskKey(
  item: Record<string, unknown> | null,
  key: string,
): Record<string, unknown> | null {
  return item && key in item ? { ...item, [key]: mask(item[key]) } : item
}

function maskEach(items: Record<string, unknown>[] | null, key: string) {
  return items?.map((item) => maskKey(item, key) ?? item) ?? null
}

/** The settings as admins see them: the SMTP password and integration secrets masked, as Fleet. */
export function maskSecrets(config: StoredAppConfig): StoredAppConfig {
  const integrations: Integrations = {
    ...config.integrations,
    jira: maskEach(config.integrations.jira, 'api_token'),
    zendesk: maskEach(config.integrations.zendesk, 'api_token'),
    ndes_scep_proxy: maskKey(config.integrations.ndes_scep_proxy, 'password'),
  }
  return {
    ...config,
    smtp_settings: {
      ...config.smtp_settings,
      password: String(mask(config.smtp_settings.password)),
    },
    integrations,
  }
}

/** `patch.section.key` is the mask: put the stored value back so the secret is kept. */
function keepMasked(
  patch: Record<string, unknown>,
  section: string,
  key: string,
  stored: unknown,
): Record<string, unknown> {
  const part = patch[section]
  if (!isPlainObject(part) || part[key] !== MASKED_PASSWORD) {
    return patch
  }
  return { ...patch, [section]: { ...part, [key]: stored } }
}

/**
 * A patch with every masked secret it sends back replaced by the stored secret, so applying a
 * configuration read from `GET /config` keeps the secrets. Integrations' lists are matched by
 * position, as Fleet's UI sends them back.
 */
export function restoreMaskedSecrets(
  patch: Record<string, unknown>,
  before: StoredAppConfig,
): Record<string, unknown> {
  let result = keepMasked(patch, 'smtp_settings', 'password', before.smtp_settings.password)
  const integrations = result.integrations
  if (!isPlainObject(integrations)) {
    return result
  }
  let restored = keepMasked(
    integrations,
    'ndes_scep_proxy',
    'password',
    before.integrations.ndes_scep_proxy?.password,
  )
  for (const kind of ['jira', 'zendesk'] as const) {
    const list = restored[kind]
    if (Array.isArray(list)) {
      restored = {
        ...restored,
        [kind]: list.map((item: unknown, i) =>
          isPlainObject(item) && item.api_token === MASKED_PASSWORD
            ? { ...item, api_token: before.integrations[kind]?.[i]?.api_token }
            : item,
        ),
      }
    }
  }
  result = { ...result, integrations: restored }
  return result
}
