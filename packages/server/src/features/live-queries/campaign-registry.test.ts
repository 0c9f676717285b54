import { eventually } from '@fleet/test-support'
import { afterAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../platform/logger.js'
import {
  MemoryPubSub,
  RedisPubSub,
  redisOptions,
  type PubSub,
} from '../../platform/pubsub/index.js'
import { CampaignRegistry, type ActiveCampaign } from './campaign-registry.js'
import { CampaignStatus, type Campaign } from './live-query.js'

/** Redis runs when REDIS_URL is set (CI sets it); set and unreachable fails the run. */
const REDIS_URL = process.env.REDIS_URL

async function redisPair(): Promise<[PubSub, PubSub]> {
  const url = new URL(REDIS_URL ?? 'redis://127.0.0.1:6379')
  const options = redisOptions({
    address: `${url.hostname}:${url.port || '6379'}`,
    password: url.password,
    database: 0,
    use_tls: false,
  })
  const pair: [RedisPubSub, RedisPubSub] = [
    new RedisPubSub(options, silentLogger()),
    new RedisPubSub(options, silentLogger()),
  ]
  await Promise.all(pair.map((p) => p.connect()))
  return pair
}

const implementations: [string, () => Promise<[PubSub, PubSub]>][] = [
  [
    'memory',
    () => {
      const shared = new MemoryPubSub()
      return Promise.resolve([shared, shared])
    },
  ],
  ...(REDIS_URL ? [['redis', redisPair] as [string, () => Promise<[PubSub, PubSub]>]] : []),
]

/** Unique ids per run, so a shared Redis never mixes runs. */
let nextId = Date.now() % 1_000_000_000

function active(targets: number[], selected = false): ActiveCampaign {
  return {
    id: ++nextId,
    sql: `SELECT ${nextId}`,
    createdAt: Date.now(),
    targets: new Set(targets),
    answered: new Set(),
    selected,
  }
}

describe.each(implementations)('campaign registry across instances [%s]', (_name, make) => {
  const opened: { stop(): Promise<void> }[] = []
  const pubsubs: PubSub[] = []
  afterAll(async () => {
    for (const item of opened) {
      await item.stop()
    }
    await Promise.all(pubsubs.map((p) => p.close()))
  })

  async function instances(load: () => Promise<Campaign[]> = async () => []) {
    const [pa, pb] = await make()
    pubsubs.push(pa, pb)
    const a = new CampaignRegistry(pa, silentLogger())
    const b = new CampaignRegistry(pb, silentLogger())
    await a.start(async () => [])
    await b.start(load)
    opened.push(a, b)
    return { a, b, pubsubB: pb }
  }

  it('asks nothing (no allocation, no I/O) while no campaign runs', async () => {
    const { a } = await instances()
    expect(a.queriesFor(1)).toBeUndefined()
  })

  it('hands a campaign out only once someone reads it', async () => {
    const { a, b } = await instances()
    const campaign = active([1])
    await a.add(campaign)
    expect(a.queriesFor(1)).toBeUndefined()
    await eventually(() => expect(b.get(campaign.id)).toBeDefined())
    await a.select(campaign.id)
    expect(a.queriesFor(1)?.has(String(campaign.id))).toBe(true)
    await eventually(() => expect(b.queriesFor(1)?.has(String(campaign.id))).toBe(true))
  })

  it('agrees on start, answers and end', async () => {
    const { a, b } = await instances()
    const campaign = active([1, 2, 3], true)
    await a.add(campaign)
    expect(a.queriesFor(2)?.get(String(campaign.id))?.sql).toBe(campaign.sql)
    await eventually(() => expect(b.get(campaign.id)?.targets).toEqual(new Set([1, 2, 3])))
    expect(b.queriesFor(4)).toBeUndefined()

    a.answered(campaign.id, 2)
    expect(a.queriesFor(2)).toBeUndefined()
    await eventually(() => expect(b.queriesFor(2)).toBeUndefined())
    expect(b.queriesFor(1)?.has(String(campaign.id))).toBe(true)

    await b.end(campaign.id)
    expect(b.get(campaign.id)).toBeUndefined()
    await eventually(() => expect(a.get(campaign.id)).toBeUndefined())
    expect(a.queriesFor(1)).toBeUndefined()
  })

  it('takes up running campaigns on start and learns who already answered', async () => {
    const [pa, pb] = await make()
    pubsubs.push(pa, pb)
    const a = new CampaignRegistry(pa, silentLogger())
    await a.start(async () => [])
    opened.push(a)
    const campaign = active([5, 6], true)
    await a.add(campaign)
    a.answered(campaign.id, 5)
    const stored: Campaign = {
      id: campaign.id,
      createdAt: campaign.createdAt,
      updatedAt: campaign.createdAt,
      queryId: null,
      queryName: null,
      sql: campaign.sql,
      status: CampaignStatus.running,
      userId: 1,
      hostIds: [5, 6],
    }
    // A new instance loads it from the database, then asks the others for answers.
    const late = new CampaignRegistry(pb, silentLogger())
    await late.start(async () => [stored])
    opened.push(late)
    expect(late.get(campaign.id)?.selected).toBe(true)
    await eventually(() => expect(late.queriesFor(5)).toBeUndefined())
    expect(late.queriesFor(6)?.get(String(campaign.id))?.sql).toBe(campaign.sql)
  })

  it('never revives an ended campaign from a late start', async () => {
    const { a, b } = await instances()
    const campaign = active([7])
    await b.end(campaign.id, false)
    await a.add(campaign)
    // A campaign started after it reaches b after it too: once b has the later one, it has seen
    // (and ignored) the late start.
    const later = active([8])
    await a.add(later)
    await eventually(() => expect(b.get(later.id)).toBeDefined())
    expect(b.get(campaign.id)).toBeUndefined()
  })
})
