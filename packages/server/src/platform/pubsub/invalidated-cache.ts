import { on, type Channel, type Subscription } from './channel.js'

/**
 * A value loaded on first use and kept in memory until a message on one of the channels that
 * invalidate it arrives, from this instance or any other. The cache only declares its channels:
 * its owner puts `subscriptions` in its feature module, which subscribes them while the server
 * runs. A failed load is not kept (the next `get` tries again), and a load that was in flight
 * when an invalidation arrived is not kept either.
 *
 * @example
 * const labels = new InvalidatedCache(() => store.dynamicLabelQueries(db), [LABELS_CHANGED])
 * module: { subscriptions: labels.subscriptions }
 */
export class InvalidatedCache<V> {
  readonly #load: () => Promise<V>
  #value: Promise<V> | undefined
  /** Clears the value when a message arrives on any of the channels it was built with. */
  readonly subscriptions: readonly Subscription[]

  constructor(load: () => Promise<V>, invalidatedBy: readonly Channel<unknown>[]) {
    this.#load = load
    this.subscriptions = invalidatedBy.map((channel) => on(channel, () => this.clear()))
  }

  /** The cached value, loading it if needed. */
  get(): Promise<V> {
    if (this.#value) {
      return this.#value
    }
    const loading = this.#load()
    this.#value = loading
    loading.catch(() => {
      if (this.#value === loading) {
        this.#value = undefined
      }
    })
    return loading
  }

  /** Replaces the value with one this instance just wrote (the others hear the channel). */
  set(value: V): void {
    this.#value = Promise.resolve(value)
  }

  /** Drops the value here; the next `get` loads it again. */
  clear(): void {
    this.#value = undefined
  }
}

/** Which keys of a `KeyedInvalidatedCache` a message invalidates. */
export interface KeyedInvalidation<K> {
  readonly subscription: (drop: (keys: Iterable<K> | 'all') => void) => Subscription
}

/** A message on `channel` drops the keys `keysOf` returns for its payload. */
export function dropKeys<T, K>(
  channel: Channel<T>,
  keysOf: (payload: T) => Iterable<K>,
): KeyedInvalidation<K> {
  return { subscription: (drop) => on(channel, (payload) => drop(keysOf(payload))) }
}

/** A message on `channel` drops every key. */
export function dropAll<K>(channel: Channel<unknown>): KeyedInvalidation<K> {
  return { subscription: (drop) => on(channel, () => drop('all')) }
}

/**
 * `InvalidatedCache` per key: each key is loaded on first use; a message drops the keys its
 * invalidation names (e.g. one team's entry when that team changes).
 *
 * @example
 * new KeyedInvalidatedCache((teamId: number) => store.agentOptions(db, teamId), [
 *   dropKeys(TEAMS_CHANGED, (teamId) => [teamId]),
 * ])
 */
export class KeyedInvalidatedCache<K, V> {
  readonly #load: (key: K) => Promise<V>
  readonly #values = new Map<K, Promise<V>>()
  readonly subscriptions: readonly Subscription[]

  constructor(load: (key: K) => Promise<V>, invalidatedBy: readonly KeyedInvalidation<K>[]) {
    this.#load = load
    const drop = (keys: Iterable<K> | 'all') => {
      if (keys === 'all') {
        this.#values.clear()
        return
      }
      for (const key of keys) {
        this.#values.delete(key)
      }
    }
    this.subscriptions = invalidatedBy.map((invalidation) => invalidation.subscription(drop))
  }

  /** The value for `key`, loading it if needed. */
  get(key: K): Promise<V> {
    const cached = this.#values.get(key)
    if (cached) {
      return cached
    }
    const loading = this.#load(key)
    this.#values.set(key, loading)
    loading.catch(() => {
      if (this.#values.get(key) === loading) {
        this.#values.delete(key)
      }
    })
    return loading
  }

  /** Drops one key here. */
  delete(key: K): void {
    this.#values.delete(key)
  }

  /** How many keys are held (tests). */
  get size(): number {
    return this.#values.size
  }
}
