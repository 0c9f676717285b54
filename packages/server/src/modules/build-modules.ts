import type { Deps } from '../deps.js'
import type { AgentQueryProvider } from '../features/hosts/agent-query-provider.js'
import type { CronJob } from '../platform/cron-job.js'
import type { EndpointRegistrar } from '../platform/http/index.js'
import type {
  FeatureModule,
  ModuleContext,
  ModuleParts,
  ProvidedService,
  ServiceKey,
} from './feature-module.js'

/** A module and what its `build` returned. */
export interface BuiltModule {
  readonly name: string
  readonly parts: ModuleParts
}

/** Every module built, in list order, and what they provide. */
export interface BuiltModules {
  readonly modules: readonly BuiltModule[]
  /** A provided service (the server reads the ones it exposes, e.g. the agent service). */
  use<T>(key: ServiceKey<T>): T
  /** Every module's cron jobs, in list order. */
  readonly cronJobs: readonly CronJob[]
  /** Registers every module's routes, in list order. */
  registerRoutes(r: EndpointRegistrar): Promise<void>
}

/** Reads a service from the map; the `ServiceKey<T>` it was stored under guarantees its type. */
function lookup<T>(services: ReadonlyMap<ServiceKey<unknown>, unknown>, key: ServiceKey<T>) {
  return services.has(key) ? { value: services.get(key) as T } : undefined
}

/**
 * Builds each module in list order. A module sees the services and agent question providers of
 * those before it; using a service nobody provided yet, providing one twice, or contributing
 * providers after a module already took the list throws, naming the modules involved.
 * `provided` are services the server supplies itself (stand-ins for tests).
 */
export async function buildModules(
  deps: Deps,
  list: readonly FeatureModule[],
  provided: readonly ProvidedService[] = [],
): Promise<BuiltModules> {
  const services = new Map<ServiceKey<unknown>, unknown>()
  const providers: AgentQueryProvider[] = []
  const built: BuiltModule[] = []
  let providersTakenBy: string | undefined
  const add = (owner: string, entries: readonly ProvidedService[]) => {
    for (const { key, value } of entries) {
      if (services.has(key)) {
        throw new Error(`${owner} provides "${key.name}", which is already provided`)
      }
      services.set(key, value)
    }
  }
  add('the server', provided)
  for (const module of list) {
    const ctx: ModuleContext = {
      deps,
      use: (key) => {
        const found = lookup(services, key)
        if (!found) {
          throw new Error(
            `${module.name} needs "${key.name}", which no module before it provides (check the order of the module list)`,
          )
        }
        return found.value
      },
      find: (key) => lookup(services, key)?.value,
      agentQueryProviders: () => {
        providersTakenBy = module.name
        return [...providers]
      },
    }
    const parts = await module.build(ctx)
    if (parts.agentQueryProviders?.length && providersTakenBy !== undefined) {
      throw new Error(
        `${module.name} contributes agent query providers, but ${providersTakenBy} took the list before it (move ${module.name} up)`,
      )
    }
    providers.push(...(parts.agentQueryProviders ?? []))
    add(module.name, parts.provides ?? [])
    built.push({ name: module.name, parts })
  }
  return {
    modules: built,
    use: (key) => {
      const found = lookup(services, key)
      if (!found) {
        throw new Error(`no module provides "${key.name}"`)
      }
      return found.value
    },
    cronJobs: built.flatMap((m) => m.parts.cronJobs ?? []),
    async registerRoutes(r) {
      for (const { parts } of built) {
        await parts.routes?.(r)
      }
    },
  }
}
