import type { Logger } from '../../platform/logger.js'
import { on, publish, type PubSub, type Unsubscribe } from '../../platform/pubsub/index.js'
import { CAMPAIGNS, type CampaignMessage as Message } from './live-queries.channels.js'
import { CampaignStatus, decodeHostIds, encodeHostIds, type Campaign } from './live-query.js'
/** Answers are announced in batches this often, not one message per host. */
const ANSWER_FLUSH_MS = 100
/** Ended ids are remembered this long, so a late or replayed `start` can't revive one. */
const TOMBSTONE_MS = 3_600_000

/** A running campaign as every instance holds it in memory. */
export interface ActiveCampaign {
  readonly id: number
  readonly sql: string
  readonly createdAt: number
  readonly targets: ReadonlySet<number>
  /** Hosts whose answer was delivered to a reader (they are not asked again). */
  readonly answered: Set<number>
  /** A reader (websocket or synchronous run) has subscribed to its results. */
  selected: boolean
}

type WithoutFrom<M> = M extends unknown ? Omit<M, 'from'> : never
type Outgoing = WithoutFrom<Message>

/** A stored campaign as the registry holds it. */
export function activeCampaignOf(campaign: Campaign): ActiveCampaign {
  return {
    id: campaign.id,
    sql: campaign.sql,
    createdAt: campaign.createdAt,
    targets: new Set(campaign.hostIds),
    answered: new Set(),
    selected: campaign.status === CampaignStatus.running,
  }
}

/**
 * The running campaigns, in memory on every instance and kept in agreement over pub/sub: the
 * check-in path reads only this (no SQL, no Redis). Changes are applied locally first, then
 * announced; each instance ignores its own announcements. Every message is idempotent.
 */
export class CampaignRegistry {
  readonly #active = new Map<number, ActiveCampaign>()
  readonly #ended = new Map<number, number>()
  readonly #pendingAnswers = new Map<number, number[]>()
  readonly #instance = Math.random().toString(36).slice(2)
  readonly #pubsub: PubSub
  readonly #log: Logger
  #flushTimer: NodeJS.Timeout | undefined
  #unsubscribe: Unsubscribe | undefined

  constructor(pubsub: PubSub, log: Logger) {
    this.#pubsub = pubsub
    this.#log = log
  }

  /** Subscribes, then takes up the campaigns still running (from the database). */
  async start(load: () => Promise<Campaign[]>): Promise<void> {
    this.#unsubscribe = await on(CAMPAIGNS, (message) => {
      if (message.from !== this.#instance) {
        this.#apply(message)
      }
    }).subscribe(this.#pubsub, this.#log)
    for (const campaign of await load()) {
      this.#put(activeCampaignOf(campaign))
    }
    if (this.#active.size > 0) {
      // Ask the others which hosts already answered, so they aren't asked again from here.
      await this.#publish({ t: 'hello' })
    }
  }

  async stop(): Promise<void> {
    await this.#flushAnswers()
    await this.#unsubscribe?.()
    this.#unsubscribe = undefined
  }

  get size(): number {
    return this.#active.size
  }

  get(id: number): ActiveCampaign | undefined {
    return this.#active.get(id)
  }

  campaigns(): ActiveCampaign[] {
    return [...this.#active.values()]
  }

  /**
   * The check-in path: campaigns someone reads that target the host and that it hasn't answered,
   * by id. Undefined (and nothing else done) when none run — the 99% case. A campaign is handed
   * out only once read, so no answer arrives before its reader listens.
   */
  queriesFor(hostId: number): Map<string, { sql: string }> | undefined {
    if (this.#active.size === 0) {
      return undefined
    }
    let due: Map<string, { sql: string }> | undefined
    for (const campaign of this.#active.values()) {
      if (campaign.selected && campaign.targets.has(hostId) && !campaign.answered.has(hostId)) {
        due ??= new Map()
        due.set(String(campaign.id), { sql: campaign.sql })
      }
    }
    return due
  }

  /** Starts a campaign here and on every instance. */
  async add(campaign: ActiveCampaign): Promise<void> {
    this.#put(campaign)
    await this.#publish({
      t: 'start',
      id: campaign.id,
      sql: campaign.sql,
      createdAt: campaign.createdAt,
      hosts: encodeHostIds([...campaign.targets]),
      selected: campaign.selected,
    })
  }

  /** Marks a campaign as read by someone (it is then not stopped as orphaned). */
  async select(id: number): Promise<void> {
    const campaign = this.#active.get(id)
    if (campaign) {
      campaign.selected = true
    }
    await this.#publish({ t: 'selected', id })
  }

  /** Records a host's delivered answer; announced to the others in the next batch. */
  answered(id: number, hostId: number): void {
    const campaign = this.#active.get(id)
    if (!campaign || campaign.answered.has(hostId)) {
      return
    }
    campaign.answered.add(hostId)
    const pending = this.#pendingAnswers.get(id)
    if (pending) {
      pending.push(hostId)
    } else {
      this.#pendingAnswers.set(id, [hostId])
    }
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = undefined
      this.#flushAnswers().catch((err: unknown) =>
        this.#log.warn({ err }, 'announcing live query answers failed'),
      )
    }, ANSWER_FLUSH_MS)
  }

  /** Forgets a campaign here and (when `announce`) on every instance. */
  async end(id: number, announce = true): Promise<void> {
    this.#drop(id)
    if (announce) {
      await this.#publish({ t: 'end', id })
    }
  }

  #put(campaign: ActiveCampaign): void {
    if (!this.#ended.has(campaign.id) && !this.#active.has(campaign.id)) {
      this.#active.set(campaign.id, campaign)
    }
  }

  #drop(id: number): void {
    this.#active.delete(id)
    this.#pendingAnswers.delete(id)
    const now = Date.now()
    this.#ended.set(id, now)
    for (const [ended, at] of this.#ended) {
      if (now - at > TOMBSTONE_MS) {
        this.#ended.delete(ended)
      }
    }
  }

  async #flushAnswers(): Promise<void> {
    if (this.#flushTimer) {
      clearTimeout(this.#flushTimer)
      this.#flushTimer = undefined
    }
    const batches = [...this.#pendingAnswers]
    this.#pendingAnswers.clear()
    for (const [id, hosts] of batches) {
      await this.#publish({ t: 'answered', id, hosts })
    }
  }

  async #publish(message: Outgoing): Promise<void> {
    await publish(this.#pubsub, CAMPAIGNS, { ...message, from: this.#instance })
  }

  #apply(message: Message): void {
    switch (message.t) {
      case 'start':
        this.#put({
          id: message.id,
          sql: message.sql,
          createdAt: message.createdAt,
          targets: new Set(decodeHostIds(message.hosts)),
          answered: new Set(),
          selected: message.selected,
        })
        return
      case 'selected': {
        const campaign = this.#active.get(message.id)
        if (campaign) {
          campaign.selected = true
        }
        return
      }
      case 'answered': {
        const campaign = this.#active.get(message.id)
        if (campaign) {
          for (const host of message.hosts) {
            campaign.answered.add(host)
          }
        }
        return
      }
      case 'end':
        this.#drop(message.id)
        return
      case 'hello':
        this.#replyToHello()
        return
    }
  }

  #replyToHello(): void {
    for (const campaign of this.#active.values()) {
      if (campaign.answered.size > 0) {
        this.#publish({ t: 'answered', id: campaign.id, hosts: [...campaign.answered] }).catch(
          (err: unknown) => this.#log.warn({ err }, 'answering a live query hello failed'),
        )
      }
    }
  }
}
