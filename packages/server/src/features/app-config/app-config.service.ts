import {
  ForcedAgentOptions,
  StoredAppConfig,
  type AppConfig,
  type EndpointRequest,
  type modifyConfig as modifyConfigEndpoint,
} from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { allowed, authorize } from '../../platform/authz/index.js'
import {
  InternalError,
  InvalidArgumentError,
  issueDetails,
  ValidationError,
} from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { InvalidatedCache, publish } from '../../platform/pubsub/index.js'
import { recordActivity } from '../activities/index.js'
import { APP_CONFIG_CHANGED } from './app-config.channels.js'
import { inertSettingsSet, withoutServerState } from './app-config-inert.js'
import { maskSecrets, restoreMaskedSecrets } from './app-config-secrets.js'
import { checkAppConfigRules, defaultAppConfig, licenseInfo, mergePatch } from './app-config.js'
import * as store from './app-config.store.js'

/** Reads stored settings over the defaults, so keys added by newer versions always exist. */
async function loadStored(db: Db): Promise<StoredAppConfig> {
  const stored = await store.readAppConfigJson(db)
  const merged = mergePatch(
    defaultAppConfig(),
    typeof stored === 'object' && stored ? (stored as Record<string, unknown>) : {},
    ['agent_options'],
  )
  // What is stored was validated when written; agent options may have been forced past validation.
  const parsed = StoredAppConfig.extend({ agent_options: ForcedAgentOptions }).safeParse(merged)
  if (!parsed.success) {
    throw new InternalError('reading the stored app config', { cause: parsed.error })
  }
  return parsed.data
}

/** One hour in nanoseconds: Fleet's durations are Go `time.Duration`s on the wire. */
const HOUR_NS = 3_600_000_000_000

/** `vulnerabilities` as `GET /config` shows it: this server runs no vulnerability scanning. */
const NO_VULNERABILITY_SCANNING = {
  databases_path: '',
  periodicity: HOUR_NS,
  cpe_database_url: '',
  cpe_translations_url: '',
  cve_feed_prefix_url: '',
  disable_schedule: true,
  disable_data_sync: true,
  recent_vulnerability_max_age: 30 * 24 * HOUR_NS,
}

export type AppConfigService = ReturnType<typeof createAppConfigService>

/**
 * The organization settings, cached in memory on every instance. A change is published on
 * pub/sub so the other instances drop their copy; the agent hot path reads only the cache.
 */
export function createAppConfigService(deps: Deps) {
  const cached = new InvalidatedCache(() => loadStored(deps.db), [APP_CONFIG_CHANGED])

  /** Current settings (cached). */
  function current(): Promise<StoredAppConfig> {
    return cached.get()
  }

  function present(config: StoredAppConfig, ctx: RequestCtx): AppConfig {
    const facts = {
      license: licenseInfo(config.org_info.org_name),
      logging: { debug: deps.config.logging.debug, json: deps.config.logging.json },
      update_interval: { osquery_detail: HOUR_NS, osquery_policy: HOUR_NS },
      vulnerabilities: NO_VULNERABILITY_SCANNING,
    }
    if (!allowed(ctx.authz, { type: 'app_config_secrets' }, 'read')) {
      const {
        smtp_settings: _smtp,
        agent_options: _agent,
        integrations: _integrations,
        sso_settings: _sso,
        ...visible
      } = config
      return { ...visible, ...facts }
    }
    return { ...maskSecrets(config), ...facts }
  }

  async function getConfig(ctx: RequestCtx): Promise<AppConfig> {
    authorize(ctx.authz, { type: 'app_config' }, 'read')
    return present(await current(), ctx)
  }

  function validate(
    merged: Record<string, unknown>,
    force: boolean,
    agentOptionsChanged: boolean,
  ): StoredAppConfig {
    // `force` stores agent options Fleet's validation would refuse (e.g. options of a newer osquery);
    // agent options stored that way are not re-validated when another setting changes.
    const schema =
      force || !agentOptionsChanged
        ? StoredAppConfig.extend({ agent_options: ForcedAgentOptions })
        : StoredAppConfig
    const parsed = schema.safeParse(merged)
    if (!parsed.success) {
      throw new InvalidArgumentError(issueDetails(parsed.error, { fallback: 'base' }))
    }
    const problems = checkAppConfigRules(parsed.data)
    if (problems.length > 0) {
      throw new ValidationError(problems)
    }
    return parsed.data
  }

  /** Deep-merges a patch into the settings (agent_options replaces whole), validates, stores, audits. */
  async function modifyConfig(
    ctx: RequestCtx,
    patch: Record<string, unknown>,
    options: EndpointRequest<typeof modifyConfigEndpoint>['query'],
  ): Promise<AppConfig & { warnings?: string[] }> {
    authorize(ctx.authz, { type: 'app_config' }, 'write')
    const before = await loadStored(deps.db)
    const { patch: applied, ignored } = withoutServerState(
      restoreMaskedSecrets(patch, before),
      before,
    )
    patch = applied
    const next = validate(
      mergePatch(before, patch, ['agent_options']),
      options.force,
      'agent_options' in patch,
    )
    const warnings = [...ignored, ...inertSettingsSet(patch, next)]
    const answer = () => ({
      ...present(next, ctx),
      ...(warnings.length > 0 ? { warnings } : {}),
    })
    if (options.dry_run) {
      return answer()
    }
    await deps.db.transaction().execute(async (trx) => {
      await store.writeAppConfigJson(trx, next, deps.clock.now().getTime())
      const changed = Object.keys(patch).filter(
        (key) =>
          JSON.stringify(before[key as keyof StoredAppConfig]) !==
          JSON.stringify(next[key as keyof StoredAppConfig]),
      )
      if (changed.includes('agent_options')) {
        await recordActivity(trx, deps.clock, ctx, {
          type: 'edited_agent_options',
          details: { global: true, team_id: null, team_name: null },
        })
      }
      if (changed.some((key) => key !== 'agent_options')) {
        await recordActivity(trx, deps.clock, ctx, {
          type: 'edited_app_config',
          details: { changed_keys: changed.filter((key) => key !== 'agent_options') },
        })
      }
    })
    cached.set(next)
    await publish(deps.pubsub, APP_CONFIG_CHANGED, null)
    if (warnings.length > 0) {
      ctx.log.warn({ settings: warnings }, 'settings stored that have no effect on this server')
    }
    return answer()
  }

  /**
   * Sets fields during first-time setup, inside the setup transaction. No authorization: setup is
   * the only caller and runs before any user exists.
   */
  async function writeInitialSettings(trx: Db, orgName: string, serverUrl: string): Promise<void> {
    const next = mergePatch(await loadStored(trx), {
      org_info: { org_name: orgName },
      server_settings: { server_url: serverUrl },
    })
    await store.writeAppConfigJson(trx, validate(next, false, false), deps.clock.now().getTime())
    cached.clear()
  }

  /**
   * Records whether Apple MDM is set up (`mdm.enabled_and_configured`), which no PATCH may change:
   * as in Fleet, uploading the APNs certificate sets it and deleting it clears it. The caller
   * (mdm-setup) has authorized the change.
   */
  async function setAppleMdmEnabled(enabled: boolean): Promise<void> {
    const before = await loadStored(deps.db)
    if (before.mdm.enabled_and_configured === enabled) {
      return
    }
    const next = { ...before, mdm: { ...before.mdm, enabled_and_configured: enabled } }
    await store.writeAppConfigJson(deps.db, next, deps.clock.now().getTime())
    cached.set(next)
    await publish(deps.pubsub, APP_CONFIG_CHANGED, null)
  }

  return {
    /** What drops the cached settings (APP_CONFIG_CHANGED); the app-config module subscribes it. */
    subscriptions: cached.subscriptions,
    current,
    getConfig,
    modifyConfig,
    writeInitialSettings,
    setAppleMdmEnabled,
  }
}
