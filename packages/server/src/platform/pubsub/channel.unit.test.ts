import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  defineChannel,
  defineChannelFamily,
  definedChannels,
  listen,
  on,
  publish,
} from './channel.js'
import { MemoryPubSub } from './memory-pubsub.js'
import type { PubSub, Unsubscribe } from './pubsub.js'

/** A logger that keeps what it was told. */
function recordingLog() {
  const warnings: string[] = []
  return { warnings, warn: (_obj: unknown, message?: string) => warnings.push(message ?? '') }
}

/** Resolves with the next raw message on `name` (subscribed after the handlers under test). */
function nextRaw(pubsub: PubSub, name: string): Promise<string> {
  return new Promise((resolve) => {
    void pubsub.subscribe(name, resolve)
  })
}

const POINTS = defineChannel('test_points', z.object({ x: z.number(), y: z.number() }))

describe('typed pub/sub channels', () => {
  it('refuses a second channel or family with the same name', () => {
    expect(definedChannels()).toContain('test_points')
    expect(() => defineChannel('test_points', z.null())).toThrow(/defined twice/)
    defineChannelFamily<number, null>('test_family_', z.null())
    expect(() => defineChannel('test_family_', z.null())).toThrow(/defined twice/)
  })

  it('delivers parsed payloads, and names family members by key', async () => {
    const pubsub = new MemoryPubSub()
    const log = recordingLog()
    const got: { x: number; y: number }[] = []
    await on(POINTS, (p) => got.push(p)).subscribe(pubsub, log)
    const delivered = nextRaw(pubsub, 'test_points')
    expect(await publish(pubsub, POINTS, { x: 1, y: 2 })).toBe(2)
    expect(await delivered).toBe('{"x":1,"y":2}')
    expect(got).toEqual([{ x: 1, y: 2 }])

    const family = defineChannelFamily<number, string>('test_words_', z.string())
    expect(family.of(7).name).toBe('test_words_7')
  })

  it('logs, and does not deliver or throw, a message that is not JSON or does not fit', async () => {
    const pubsub = new MemoryPubSub()
    const log = recordingLog()
    const got: unknown[] = []
    await on(POINTS, (p) => got.push(p)).subscribe(pubsub, log)
    for (const raw of ['not json', '{"x":1}', '{"x":1,"y":2}']) {
      const delivered = nextRaw(pubsub, 'test_points')
      await pubsub.publish('test_points', raw)
      await delivered
    }
    expect(got).toEqual([{ x: 1, y: 2 }])
    expect(log.warnings).toEqual([
      'ignoring a pub/sub message that is not JSON',
      'ignoring a pub/sub message that does not fit its channel',
    ])
  })

  it('logs a handler that throws instead of letting it escape', async () => {
    const pubsub = new MemoryPubSub()
    const log = recordingLog()
    await on(POINTS, () => {
      throw new Error('boom')
    }).subscribe(pubsub, log)
    const delivered = nextRaw(pubsub, 'test_points')
    await publish(pubsub, POINTS, { x: 0, y: 0 })
    await delivered
    expect(log.warnings).toEqual(['a pub/sub handler failed'])
  })

  it('listen() removes the subscriptions it made when a later one fails', async () => {
    const pubsub = new MemoryPubSub()
    const removed: string[] = []
    const fake = (name: string, fails = false) => ({
      channel: name,
      subscribe: (): Promise<Unsubscribe> =>
        fails
          ? Promise.reject(new Error(`cannot subscribe ${name}`))
          : Promise.resolve(async () => {
              removed.push(name)
            }),
    })
    await expect(
      listen(pubsub, recordingLog(), [fake('a'), fake('b'), fake('c', true), fake('d')]),
    ).rejects.toThrow('cannot subscribe c')
    expect(removed).toEqual(['b', 'a'])

    const unsubscribe = await listen(pubsub, recordingLog(), [fake('e'), fake('f')])
    await unsubscribe()
    expect(removed).toEqual(['b', 'a', 'f', 'e'])
  })
})
