import type { Logger } from '../platform/logger.js'
import { runInReverse } from '../platform/run-in-reverse.js'
import { listen, type PubSub, type Unsubscribe } from '../platform/pubsub/index.js'
import type { BuiltModule } from './build-modules.js'

/** A started module: stopping it runs its `stop`, then removes its subscriptions. */
interface Started {
  readonly name: string
  stop(): Promise<void>
}

/** Stops the server's modules (reverse order); see `startModules`. */
export type StopModules = () => Promise<void>

async function startOne(
  module: BuiltModule,
  pubsub: PubSub,
  log: Pick<Logger, 'warn'>,
): Promise<Started> {
  const { subscriptions = [], start, stop } = module.parts
  const unsubscribe: Unsubscribe =
    subscriptions.length > 0 ? await listen(pubsub, log, subscriptions) : () => Promise.resolve()
  try {
    await start?.()
  } catch (err) {
    await unsubscribe()
    throw err
  }
  return {
    name: module.name,
    stop: async () => {
      try {
        await stop?.()
      } finally {
        await unsubscribe()
      }
    },
  }
}

/**
 * Stops every started module in reverse order, even when some throw: each error is logged with
 * its module's name, and an AggregateError of them all is thrown at the end.
 */
async function stopAll(started: readonly Started[], log: Pick<Logger, 'error'>): Promise<void> {
  const errors = await runInReverse(
    started,
    (module) => module.stop(),
    (module, err) => log.error({ err, module: module.name }, 'stopping a module failed'),
  )
  if (errors.length > 0) {
    throw new AggregateError(errors, `stopping ${errors.length} module(s) failed`)
  }
}

/**
 * Starts the modules in list order: each one's subscriptions, then its `start`. If one fails,
 * those already started are stopped (reverse order) and its error is rethrown, so a failed
 * start-up leaves no timer or subscription behind. Resolves with the function that stops them.
 */
export async function startModules(
  modules: readonly BuiltModule[],
  deps: { pubsub: PubSub; log: Pick<Logger, 'warn' | 'error'> },
): Promise<StopModules> {
  const started: Started[] = []
  for (const module of modules) {
    try {
      started.push(await startOne(module, deps.pubsub, deps.log))
    } catch (err) {
      deps.log.error({ err, module: module.name }, 'starting a module failed; stopping the others')
      await stopAll(started, deps.log).catch(() => undefined)
      throw err
    }
  }
  let stopping: Promise<void> | undefined
  return () => (stopping ??= stopAll(started, deps.log))
}
