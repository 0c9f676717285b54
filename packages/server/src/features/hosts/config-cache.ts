import type { AgentOptions } from '@fleet/api'
import { intervalsOf, osqueryConfigFor, withPacks } from './agent-config.js'
import type { AgentHost } from './agent-host.js'
import type { AgentSources } from './agent-sources.js'

/** A built osquery config, and the sources it was built from. */
export interface CachedConfig {
  options: AgentOptions
  packs: Record<string, unknown> | undefined
  /** Shared by every host of the (team, platform): never mutate it. */
  config: Record<string, unknown>
  intervals: ReturnType<typeof intervalsOf>
}

/**
 * Config responses per (team, platform), built once and reused while the agent options and the
 * packs they were built from are the same objects (both sources replace theirs on any change,
 * on every instance, via pub/sub). So a config request costs no SQL and no rebuild.
 */
export class ConfigCache {
  readonly #configs = new Map<string, CachedConfig>()
  readonly #sources: AgentSources

  constructor(sources: AgentSources) {
    this.#sources = sources
  }

  async configFor(host: AgentHost): Promise<CachedConfig> {
    const options = await this.#agentOptionsFor(host)
    const packs = this.#sources.packs
      ? await this.#sources.packs(host.teamId, host.platform)
      : undefined
    const key = `${host.teamId ?? ''}:${host.platform}`
    const cached = this.#configs.get(key)
    if (cached && cached.options === options && cached.packs === packs) {
      return cached
    }
    const config = withPacks(osqueryConfigFor(options, host.platform), packs)
    const built = { options, packs, config, intervals: intervalsOf(config) }
    this.#configs.set(key, built)
    return built
  }

  async #agentOptionsFor(host: AgentHost): Promise<AgentOptions> {
    const team = host.teamId === null ? null : await this.#sources.teamAgentOptions(host.teamId)
    return team ?? (await this.#sources.settings()).agentOptions
  }
}
