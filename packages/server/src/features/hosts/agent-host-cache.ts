import { hashToken } from '../../platform/ids.js'
import type { PubSub, Unsubscribe } from '../../platform/pubsub/index.js'
import type { AgentHost } from './agent-host.js'

const CHANNEL = 'agent_hosts_changed'

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
  #unsubscribe?: Unsubscribe

  constructor(pubsub: PubSub) {
    this.#pubsub = pubsub
  }

  async start(): Promise<void> {
    this.#unsubscribe = await this.#pubsub.subscribe(CHANNEL, (message) => {
      const [instance, ids] = message.split(' ')
      if (instance === this.#instance) {
        return
      }
      for (const id of (ids ?? '').split(',')) {
        this.forget(Number(id))
      }
    })
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
      await this.#pubsub.publish(CHANNEL, `${this.#instance} ${hostIds.join(',')}`)
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
