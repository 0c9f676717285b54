import { Redis, type RedisOptions } from 'ioredis'
import { UnavailableError } from '../errors/index.js'
import type { Logger } from '../logger.js'
import type { PubSub, Unsubscribe } from './pubsub.js'

/**
 * Pub/sub over Redis. One connection publishes; a second one (Redis requires it) subscribes and
 * dispatches to handlers by channel. Reconnects are ioredis's; subscriptions are restored by it.
 */
export class RedisPubSub implements PubSub {
  readonly #publisher: Redis
  readonly #subscriber: Redis
  readonly #handlers = new Map<string, Set<(message: string) => void>>()

  constructor(options: RedisOptions, log: Logger) {
    this.#publisher = new Redis({ ...options, lazyConnect: true })
    this.#subscriber = new Redis({ ...options, lazyConnect: true })
    for (const client of [this.#publisher, this.#subscriber]) {
      client.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'))
    }
    this.#subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.#handlers.get(channel) ?? []) {
        handler(message)
      }
    })
  }

  /** Connects both clients; fails fast with the first connection error when Redis is unreachable. */
  async connect(): Promise<void> {
    await Promise.all([this.#publisher, this.#subscriber].map((client) => firstConnect(client)))
  }

  /**
   * Publishes, or fails at once with a 503 while Redis is not connected: ioredis would otherwise
   * queue the command and retry for seconds, holding the request, then fail with a bare 500.
   */
  publish(channel: string, message: string): Promise<number> {
    const unavailable = this.#unavailable([this.#publisher])
    return unavailable ? Promise.reject(unavailable) : this.#publisher.publish(channel, message)
  }

  /** Both connections must be up: without the subscriber this instance misses invalidations. */
  async ping(): Promise<void> {
    const unavailable = this.#unavailable([this.#publisher, this.#subscriber])
    if (unavailable) {
      throw unavailable
    }
    await this.#publisher.ping()
  }

  #unavailable(clients: readonly Redis[]): UnavailableError | undefined {
    const down = clients.find((client) => client.status !== 'ready')
    return down && new UnavailableError(`Redis is unavailable (connection ${down.status})`)
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    let set = this.#handlers.get(channel)
    if (!set) {
      set = new Set()
      this.#handlers.set(channel, set)
      await this.#subscriber.subscribe(channel)
    }
    set.add(handler)
    return async () => {
      set.delete(handler)
      if (set.size === 0 && this.#handlers.get(channel) === set) {
        this.#handlers.delete(channel)
        await this.#subscriber.unsubscribe(channel)
      }
    }
  }

  async close(): Promise<void> {
    this.#handlers.clear()
    await Promise.allSettled([this.#publisher.quit(), this.#subscriber.quit()])
  }
}

/** Parses Fleet's `redis.address` (`host:port`) into ioredis options. */
export function redisOptions(settings: {
  address: string
  password: string
  database: number
  use_tls: boolean
}): RedisOptions {
  const index = settings.address.lastIndexOf(':')
  const host =
    index > 0 ? settings.address.slice(0, index).replace(/^\[|\]$/g, '') : settings.address
  const port = index > 0 ? Number(settings.address.slice(index + 1)) : 6379
  return {
    host,
    port,
    password: settings.password || undefined,
    db: settings.database,
    tls: settings.use_tls ? {} : undefined,
    maxRetriesPerRequest: 3,
    connectTimeout: 5000,
  }
}

/** Resolves when the client is ready; rejects with the first real connection error (e.g. ECONNREFUSED). */
function firstConnect(client: Redis): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      client.off('ready', onReady)
      client.disconnect()
      reject(err)
    }
    const onReady = () => {
      client.off('error', onError)
      resolve()
    }
    client.once('error', onError)
    client.once('ready', onReady)
    client.connect().catch(() => undefined)
  })
}
