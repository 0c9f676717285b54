/** Removes a subscription. */
export type Unsubscribe = () => Promise<void>

/**
 * Fire-and-forget messages between server instances: cache invalidation, live-query fan-out.
 * In-process by default; Redis when `redis.address` is set so every instance hears every message.
 */
export interface PubSub {
  /** Publishes to every subscriber on every instance; resolves with how many received it (Redis) or -1 if unknown. */
  publish(channel: string, message: string): Promise<number>
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>
  /** Resolves when the transport can deliver now; rejects with why not (the health check). */
  ping(): Promise<void>
  close(): Promise<void>
}
