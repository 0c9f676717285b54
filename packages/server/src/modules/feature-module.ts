import type { Deps } from '../deps.js'
import type { AgentQueryProvider } from '../features/hosts/agent-query-provider.js'
import type { CronJob } from '../platform/cron-job.js'
import type { EndpointRegistrar } from '../platform/http/index.js'
import type { Subscription } from '../platform/pubsub/index.js'

/**
 * A service one module provides and others use, named by a typed key rather than by importing
 * the module: the key can live with whoever owns the contract (the provider, e.g. `APP_CONFIG`,
 * or the consumer, e.g. hosts' `HOST_POLICY_SOURCES`, which policies provide because hosts can't
 * import policies).
 */
export interface ServiceKey<T> {
  readonly name: string
  /** Never set: carries `T` for the type checker only. */
  readonly type?: T
}

/** Defines a service key; `name` appears in errors ("policies needs app config, …"). */
export function defineService<T>(name: string): ServiceKey<T> {
  return Object.freeze({ name })
}

/** A service value bound to its key, as a module lists it in `provides`. */
export interface ProvidedService {
  readonly key: ServiceKey<unknown>
  readonly value: unknown
}

/** Binds `value` to `key` (the types must agree). */
export function provide<T>(key: ServiceKey<T>, value: T): ProvidedService {
  return { key, value }
}

/** What a module receives when it is built. */
export interface ModuleContext {
  /** db, config, clock, log, pubsub: the same for every module. */
  readonly deps: Deps
  /**
   * A service provided by a module earlier in the list (or by the server itself). Throws, naming
   * both, when none did: order the list so providers come first.
   */
  use<T>(key: ServiceKey<T>): T
  /** Like `use`, but undefined when nobody provides it (optional stand-ins, e.g. in tests). */
  find<T>(key: ServiceKey<T>): T | undefined
  /**
   * The agent question providers of every module earlier in the list. The module that runs the
   * check-in pipeline (protocols/osquery) comes after all of them; a module that contributes one
   * after that is refused when the server is built.
   */
  agentQueryProviders(): readonly AgentQueryProvider[]
}

/** What a built module contributes; every part is optional. */
export interface ModuleParts {
  /** Services for the modules after it (`ctx.use(KEY)`). */
  readonly provides?: readonly ProvidedService[]
  /**
   * Registers its HTTP endpoints; called once every module is built, with the server's registrar
   * (the Fastify app, authentication, response validation).
   */
  readonly routes?: (r: EndpointRegistrar) => void | Promise<void>
  /** Periodic jobs, run by the cron runner of `fleet serve` (one instance at a time). */
  readonly cronJobs?: readonly CronJob[]
  /** Questions for hosts at check-in (labels, policies, live queries…). */
  readonly agentQueryProviders?: readonly AgentQueryProvider[]
  /** Pub/sub handlers (e.g. caches' invalidations), subscribed before `start`, removed after `stop`. */
  readonly subscriptions?: readonly Subscription[]
  /** Starts timers and takes up state; runs in list order before the server listens. */
  readonly start?: () => Promise<void> | void
  /** Releases what `start` took; runs in reverse list order, after the HTTP server closed. */
  readonly stop?: () => Promise<void> | void
}

/**
 * One feature (or protocol) as the server sees it. Each `features/<name>/index.ts` exports one,
 * and `server.ts` builds the server from the list of them: build each in order, register every
 * module's routes, start each in order; stop in reverse. See docs/adding-a-feature.md.
 *
 * @example
 * export const carvesModule: FeatureModule = {
 *   name: 'carves',
 *   build: ({ deps }) => ({
 *     routes: (r) => registerCarveRoutes(r, { deps }),
 *     cronJobs: [expiredCarvesJob(deps)],
 *   }),
 * }
 */
export interface FeatureModule {
  /** Unique, for logs and errors. */
  readonly name: string
  /** Creates the module's services; no I/O that needs undoing (that goes in `start`). */
  build(ctx: ModuleContext): ModuleParts | Promise<ModuleParts>
}
