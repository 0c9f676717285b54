import { hashToken } from '../../platform/ids.js'
import type { Logger } from '../../platform/logger.js'
import { on, publish, type PubSub, type Unsubscribe } from '../../platform/pubsub/index.js'
import type { AgentHost } from './agent-host.js'
import { AGENT_HOSTS_CHANGED } from './hosts.channels.js'

/** Where a malformed AGENT_HOSTS_CHANGED message goes when the cache was given no logger. */
const NO_LOG: Pick<Logger, 'warn'> = { warn: () => undefined }

/**
 * Node key → host, in memory on each instance, so an empty check-in costs no SQL. An instance
 * that changes a host (enroll, ingest, refetch, transfer, delete) updates its own entry and
 * publishes the host id; the other instances drop theirs and reload on the next check-in.
 */
export class AgentHostCache {
  readonly #byKeyHash = new Map<string, AgentHost>()
  readonly #keyHashById = new Map<number, string>()
  readonly #instance = Math.random().toString(36).slice(2)
  readonly #pubsub: PubSub
  readonly #log: Pick<Logger, 'warn'>
  #unsubscribe?: Unsubscribe

  constructor(pubsub: PubSub, log: Pick<Logger, 'warn'> = NO_LOG) {
    this.#pubsub = pubsub
    this.#log = log
  }

  async start(): Promise<void> {
    const changed = on(AGENT_HOSTS_CHANGED, ({ from, hostIds }) => {
      if (from === this.#instance) {
        return
      }
      for (const id of hostIds) {
        this.forget(id)
      }
    })
    this.#unsubscribe = await changed.subscribe(this.#pubsub, this.#log)
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.()
  }

  /** The host for a node key, if cached. */
  get(nodeKey: string): AgentHost | undefined {
    return this.#byKeyHash.get(hashToken(nodeKey))
  }

  /** Caches a host under the hash of its node key. */
  set(nodeKeyHash: string, host: AgentHost): void {
    const previous = this.#keyHashById.get(host.id)
    if (previous !== undefined && previous !== nodeKeyHash) {
      this.#byKeyHash.delete(previous)
    }
    this.#byKeyHash.set(nodeKeyHash, host)
    this.#keyHashById.set(host.id, nodeKeyHash)
  }

  /** Drops one host's entry (it will be reloaded from the database on its next check-in). */
  forget(hostId: number): void {
    const hash = this.#keyHashById.get(hostId)
    if (hash !== undefined) {
      this.#byKeyHash.delete(hash)
      this.#keyHashById.delete(hostId)
    }
  }

  /** Tells the other instances these hosts changed (after the change committed). */
  async publishChanged(hostIds: readonly number[]): Promise<void> {
    if (hostIds.length > 0) {
      await publish(this.#pubsub, AGENT_HOSTS_CHANGED, {
        from: this.#instance,
        hostIds: [...hostIds],
      })
    }
  }

  /** Forgets hosts here and on every other instance. */
  async invalidate(hostIds: readonly number[]): Promise<void> {
    for (const id of hostIds) {
      this.forget(id)
    }
    await this.publishChanged(hostIds)
  }

  get size(): number {
    return this.#byKeyHash.size
  }
}
