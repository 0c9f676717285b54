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
import {
  checkAppConfigRules,
  defaultAppConfig,
  licenseInfo,
  MASKED_PASSWORD,
  mergePatch,
} from './app-config.js'
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
      update_interval: { osquery_detail: 3_600_000_000_000, osquery_policy: 3_600_000_000_000 },
    }
    if (!allowed(ctx.authz, { type: 'app_config_secrets' }, 'read')) {
      const {
        smtp_settings: _smtp,
        agent_options: _agent,
        integrations: _integrations,
        ...visible
      } = config
      return { ...visible, ...facts }
    }
    const password = config.smtp_settings.password ? MASKED_PASSWORD : ''
    return { ...config, smtp_settings: { ...config.smtp_settings, password }, ...facts }
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
  ): Promise<AppConfig> {
    authorize(ctx.authz, { type: 'app_config' }, 'write')
    const before = await loadStored(deps.db)
    const smtp = patch.smtp_settings
    if (
      typeof smtp === 'object' &&
      smtp !== null &&
      'password' in smtp &&
      smtp.password === MASKED_PASSWORD
    ) {
      patch = { ...patch, smtp_settings: { ...smtp, password: before.smtp_settings.password } }
    }
    const next = validate(
      mergePatch(before, patch, ['agent_options']),
      options.force,
      'agent_options' in patch,
    )
    if (options.dry_run) {
      return present(next, ctx)
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
    return present(next, ctx)
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

  return {
    /** What drops the cached settings (APP_CONFIG_CHANGED); the app-config module subscribes it. */
    subscriptions: cached.subscriptions,
    current,
    getConfig,
    modifyConfig,
    writeInitialSettings,
  }
}
