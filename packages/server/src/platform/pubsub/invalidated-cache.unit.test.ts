import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineChannel, listen, publish } from './channel.js'
import { dropAll, dropKeys, InvalidatedCache, KeyedInvalidatedCache } from './invalidated-cache.js'
import { MemoryPubSub } from './memory-pubsub.js'
import type { PubSub } from './pubsub.js'

const THINGS_CHANGED = defineChannel('test_things_changed', z.null())
const THING_CHANGED = defineChannel('test_thing_changed', z.number())
const log = { warn: () => undefined }

/** Publishes and resolves once every subscriber (the caches' first) has handled the message. */
async function publishAndDeliver<T>(
  pubsub: PubSub,
  channel: { name: string; schema: z.ZodType<T> },
  payload: T,
): Promise<void> {
  const delivered = new Promise<void>((resolve) => {
    void pubsub.subscribe(channel.name, () => resolve())
  })
  await publish(pubsub, channel, payload)
  await delivered
}

/** A loader that counts its calls and returns the call number. */
function counter() {
  let calls = 0
  return {
    load: () => Promise.resolve(++calls),
    get calls() {
      return calls
    },
  }
}

describe('InvalidatedCache', () => {
  it('loads once, and again after a message on a channel it was built with', async () => {
    // Two "instances" share the bus: the message published by one clears the other's copy.
    const pubsub = new MemoryPubSub()
    const loads = counter()
    const cache = new InvalidatedCache(loads.load, [THINGS_CHANGED])
    const unsubscribe = await listen(pubsub, log, cache.subscriptions)
    expect(await cache.get()).toBe(1)
    expect(await cache.get()).toBe(1)
    await publishAndDeliver(pubsub, THINGS_CHANGED, null)
    expect(await cache.get()).toBe(2)
    expect(loads.calls).toBe(2)
    await unsubscribe()
    await publishAndDeliver(pubsub, THINGS_CHANGED, null)
    expect(await cache.get()).toBe(2)
  })

  it('keeps neither a failed load nor one overtaken by an invalidation', async () => {
    let fail = true
    const cache = new InvalidatedCache(
      () => (fail ? Promise.reject(new Error('db down')) : Promise.resolve('fresh')),
      [THINGS_CHANGED],
    )
    await expect(cache.get()).rejects.toThrow('db down')
    fail = false
    expect(await cache.get()).toBe('fresh')

    const pending: ((value: string) => void)[] = []
    const slow = new InvalidatedCache(
      () => new Promise<string>((resolve) => pending.push(resolve)),
      [THINGS_CHANGED],
    )
    const inFlight = slow.get()
    slow.clear()
    const second = slow.get()
    pending[0]?.('stale')
    pending[1]?.('fresh')
    expect(await inFlight).toBe('stale')
    expect(await second).toBe('fresh')
    expect(await slow.get()).toBe('fresh')
    expect(pending).toHaveLength(2)
    slow.set('written here')
    expect(await slow.get()).toBe('written here')
  })
})

describe('KeyedInvalidatedCache', () => {
  it('drops only the keys a message names, or all of them', async () => {
    const pubsub = new MemoryPubSub()
    const loads = new Map<number, number>()
    const cache = new KeyedInvalidatedCache(
      (key: number) => {
        loads.set(key, (loads.get(key) ?? 0) + 1)
        return Promise.resolve(`${key}#${loads.get(key)}`)
      },
      [dropKeys(THING_CHANGED, (key) => [key]), dropAll(THINGS_CHANGED)],
    )
    const unsubscribe = await listen(pubsub, log, cache.subscriptions)
    expect([await cache.get(1), await cache.get(2)]).toEqual(['1#1', '2#1'])
    await publishAndDeliver(pubsub, THING_CHANGED, 1)
    expect([await cache.get(1), await cache.get(2)]).toEqual(['1#2', '2#1'])
    await publishAndDeliver(pubsub, THINGS_CHANGED, null)
    expect(cache.size).toBe(0)
    expect([await cache.get(1), await cache.get(2)]).toEqual(['1#3', '2#2'])
    await unsubscribe()
  })
})
