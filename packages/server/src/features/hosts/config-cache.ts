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

/** Stands in for "no packs source" as a WeakMap key. */
const NO_PACKS = {}

/**
 * Config responses per (packs object, team, platform), built once and reused while the agent
 * options and the packs they were built from are the same objects (both sources replace theirs
 * on any change, on every instance, via pub/sub, and hand the same packs object to every host
 * with the same packs). So a config request costs no rebuild; configs of replaced packs objects
 * go with them (a WeakMap).
 */
export class ConfigCache {
  readonly #configs = new WeakMap<object, Map<string, CachedConfig>>()
  readonly #sources: AgentSources

  constructor(sources: AgentSources) {
    this.#sources = sources
  }

  async configFor(host: AgentHost): Promise<CachedConfig> {
    const options = await this.#agentOptionsFor(host)
    const packs = this.#sources.packs ? await this.#sources.packs(host) : undefined
    let configs = this.#configs.get(packs ?? NO_PACKS)
    if (!configs) {
      configs = new Map()
      this.#configs.set(packs ?? NO_PACKS, configs)
    }
    const key = `${host.teamId ?? ''}:${host.platform}`
    const cached = configs.get(key)
    if (cached && cached.options === options) {
      return cached
    }
    const config = withPacks(osqueryConfigFor(options, host.platform), packs)
    const built = { options, packs, config, intervals: intervalsOf(config) }
    configs.set(key, built)
    return built
  }

  async #agentOptionsFor(host: AgentHost): Promise<AgentOptions> {
    const team = host.teamId === null ? null : await this.#sources.teamAgentOptions(host.teamId)
    return team ?? (await this.#sources.settings()).agentOptions
  }
}
