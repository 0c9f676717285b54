import type { z } from 'zod'
import type { Logger } from '../logger.js'
import type { PubSub, Unsubscribe } from './pubsub.js'

/**
 * A pub/sub channel and the payload every message on it carries. Define each one once, beside the
 * feature that publishes it, with `defineChannel`; publish and subscribe only through `publish`
 * and `on`/`listen`, which encode to JSON and parse on receipt with the channel's schema.
 */
export interface Channel<T> {
  readonly name: string
  readonly schema: z.ZodType<T>
}

/** Every channel name defined in this process: two features can't share one by accident. */
const registry = new Map<string, 'channel' | 'family'>()

function register(name: string, kind: 'channel' | 'family'): void {
  if (registry.has(name)) {
    throw new Error(`pub/sub channel "${name}" is defined twice`)
  }
  registry.set(name, kind)
}

/**
 * Defines a channel. Names are unique per process (a second definition throws), so grep for the
 * name finds the one place that says what travels on it.
 *
 * @example
 * export const TEAMS_CHANGED = defineChannel('teams_changed', z.number().int())
 * await publish(deps.pubsub, TEAMS_CHANGED, team.id)
 */
export function defineChannel<T>(name: string, schema: z.ZodType<T>): Channel<T> {
  register(name, 'channel')
  return Object.freeze({ name, schema })
}

/** Channels made per key, e.g. one per live-query campaign (`live_query_results_<id>`). */
export interface ChannelFamily<K extends string | number, T> {
  readonly prefix: string
  of(key: K): Channel<T>
}

/** Defines a family of channels `<prefix><key>` sharing one payload schema. */
export function defineChannelFamily<K extends string | number, T>(
  prefix: string,
  schema: z.ZodType<T>,
): ChannelFamily<K, T> {
  register(prefix, 'family')
  return Object.freeze({
    prefix,
    of: (key: K): Channel<T> => Object.freeze({ name: `${prefix}${key}`, schema }),
  })
}

/** The names defined so far (tests; a family is listed by its prefix). */
export function definedChannels(): string[] {
  return [...registry.keys()]
}

/** Publishes `payload` on every instance; resolves with how many received it (see `PubSub`). */
export function publish<T>(pubsub: PubSub, channel: Channel<T>, payload: T): Promise<number> {
  return pubsub.publish(channel.name, JSON.stringify(payload))
}

/** Parses one raw message; undefined (and a warning) when it does not fit the channel. */
function decode<T>(
  channel: Channel<T>,
  raw: string,
  log: Pick<Logger, 'warn'>,
): { payload: T } | undefined {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    log.warn({ channel: channel.name }, 'ignoring a pub/sub message that is not JSON')
    return undefined
  }
  const parsed = channel.schema.safeParse(json)
  if (!parsed.success) {
    log.warn(
      { channel: channel.name, issues: parsed.error.issues.slice(0, 3) },
      'ignoring a pub/sub message that does not fit its channel',
    )
    return undefined
  }
  return { payload: parsed.data }
}

/** A handler bound to its channel, subscribed later by whoever owns the lifecycle (`listen`). */
export interface Subscription {
  readonly channel: string
  subscribe(pubsub: PubSub, log: Pick<Logger, 'warn'>): Promise<Unsubscribe>
}

/**
 * Binds a handler to a channel. The handler gets parsed payloads only; a malformed message and a
 * handler that throws are logged, never thrown (pub/sub delivers outside any request).
 */
export function on<T>(channel: Channel<T>, handler: (payload: T) => void): Subscription {
  return {
    channel: channel.name,
    subscribe: (pubsub, log) =>
      pubsub.subscribe(channel.name, (raw) => {
        const decoded = decode(channel, raw, log)
        if (!decoded) {
          return
        }
        try {
          handler(decoded.payload)
        } catch (err) {
          log.warn({ channel: channel.name, err }, 'a pub/sub handler failed')
        }
      }),
  }
}

/**
 * Subscribes every subscription; resolves with one function that removes them all. If one
 * subscribe fails, those already made are removed before the error is rethrown.
 */
export async function listen(
  pubsub: PubSub,
  log: Pick<Logger, 'warn'>,
  subscriptions: readonly Subscription[],
): Promise<Unsubscribe> {
  const made: Unsubscribe[] = []
  const unsubscribeAll = async () => {
    for (const unsubscribe of made.splice(0).reverse()) {
      await unsubscribe()
    }
  }
  try {
    for (const subscription of subscriptions) {
      made.push(await subscription.subscribe(pubsub, log))
    }
  } catch (err) {
    await unsubscribeAll()
    throw err
  }
  return unsubscribeAll
}
