import type { PubSub, Unsubscribe } from './pubsub.js'

/** One process's pub/sub: delivery is asynchronous, like Redis, so callers can't rely on order with their own code. */
export class MemoryPubSub implements PubSub {
  readonly #handlers = new Map<string, Set<(message: string) => void>>()

  publish(channel: string, message: string): Promise<number> {
    const handlers = [...(this.#handlers.get(channel) ?? [])]
    queueMicrotask(() => {
      for (const handler of handlers) {
        handler(message)
      }
    })
    return Promise.resolve(handlers.length)
  }

  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    let set = this.#handlers.get(channel)
    if (!set) {
      set = new Set()
      this.#handlers.set(channel, set)
    }
    set.add(handler)
    return Promise.resolve(() => {
      set.delete(handler)
      if (set.size === 0) {
        this.#handlers.delete(channel)
      }
      return Promise.resolve()
    })
  }

  ping(): Promise<void> {
    return Promise.resolve()
  }

  close(): Promise<void> {
    this.#handlers.clear()
    return Promise.resolve()
  }
}
