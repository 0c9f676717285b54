import { waitFor } from '@fleet/test-support'
import { afterAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../logger.js'
import { MemoryPubSub } from './memory-pubsub.js'
import type { PubSub } from './pubsub.js'
import { RedisPubSub, redisOptions } from './redis-pubsub.js'

/**
 * Redis runs when REDIS_URL is set (CI sets it). Set and unreachable fails the run.
 */
const REDIS_URL = process.env.REDIS_URL

async function redisPair(): Promise<[RedisPubSub, RedisPubSub]> {
  const url = new URL(REDIS_URL ?? 'redis://127.0.0.1:6379')
  const options = redisOptions({
    address: `${url.hostname}:${url.port || '6379'}`,
    password: url.password,
    database: 0,
    use_tls: false,
  })
  const a = new RedisPubSub(options, silentLogger())
  const b = new RedisPubSub(options, silentLogger())
  await a.connect()
  await b.connect()
  return [a, b]
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

describe.each(implementations)('pub/sub [%s]', (_name, make) => {
  const opened: PubSub[] = []
  afterAll(async () => {
    await Promise.all(opened.map((p) => p.close()))
  })

  it('delivers a message published on one instance to a subscriber on another', async () => {
    const [publisher, subscriber] = await make()
    opened.push(publisher, subscriber)
    const channel = `test_${Math.random().toString(36).slice(2)}`
    let resolveMessage: (message: string) => void = () => {}
    const received = new Promise<string>((resolve) => (resolveMessage = resolve))
    await subscriber.subscribe(channel, (message) => resolveMessage(message))
    const count = await publisher.publish(channel, 'hello')
    expect(count).toBe(1)
    expect(await received).toBe('hello')
  })

  it('stops delivering after unsubscribe and reports no receivers', async () => {
    const [publisher, subscriber] = await make()
    opened.push(publisher, subscriber)
    const channel = `test_${Math.random().toString(36).slice(2)}`
    const got: string[] = []
    const unsubscribe = await subscriber.subscribe(channel, (m) => got.push(m))
    await publisher.publish(channel, 'one')
    await waitFor('the first message', () => got.length > 0)
    await unsubscribe()
    // No receiver left: 'two' reaches nobody (Redis counts the subscribers it delivered to).
    expect(await publisher.publish(channel, 'two')).toBe(0)
    expect(got).toEqual(['one'])
  })
})

describe('redis pub/sub configuration', () => {
  it('parses host:port, IPv6 and defaults', () => {
    expect(
      redisOptions({ address: 'cache:6380', password: '', database: 2, use_tls: false }),
    ).toMatchObject({ host: 'cache', port: 6380, db: 2, password: undefined })
    expect(
      redisOptions({ address: '[::1]:6379', password: 'pw', database: 0, use_tls: true }),
    ).toMatchObject({ host: '::1', port: 6379, password: 'pw', tls: {} })
  })

  it('fails fast with a clear error when Redis is unreachable', async () => {
    const pubsub = new RedisPubSub(
      {
        ...redisOptions({ address: '127.0.0.1:1', password: '', database: 0, use_tls: false }),
        retryStrategy: () => null,
      },
      silentLogger(),
    )
    await expect(pubsub.connect()).rejects.toThrow(/ECONNREFUSED|connect/)
    await pubsub.close()
  })
})
