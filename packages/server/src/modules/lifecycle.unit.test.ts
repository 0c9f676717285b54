import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { Deps } from '../deps.js'
import type { AgentQueryProvider } from '../features/hosts/agent-query-provider.js'
import { defineChannel, MemoryPubSub, on, publish } from '../platform/pubsub/index.js'
import { buildModules, type BuiltModule } from './build-modules.js'
import { defineService, provide, type FeatureModule, type ModuleParts } from './feature-module.js'
import { startModules } from './lifecycle.js'

const LIFECYCLE_PING = defineChannel('test_lifecycle_ping', z.null())

/** A logger that keeps the modules it was told about. */
function recordingLog() {
  const errors: string[] = []
  return {
    errors,
    warn: () => undefined,
    error: (obj: unknown, message?: string) => {
      const module = typeof obj === 'object' && obj !== null && 'module' in obj ? obj.module : ''
      errors.push(`${String(module)}: ${message}`)
    },
  }
}

/** Modules that record their starts and stops in `events`; `failing` throw in start or stop. */
function modules(
  events: string[],
  names: string[],
  failing: { start?: string; stop?: string } = {},
): BuiltModule[] {
  return names.map((name) => {
    const parts: ModuleParts = {
      start: () => {
        if (failing.start === name) {
          throw new Error(`${name} cannot start`)
        }
        events.push(`start ${name}`)
      },
      stop: () => {
        events.push(`stop ${name}`)
        if (failing.stop === name) {
          throw new Error(`${name} cannot stop`)
        }
      },
    }
    return { name, parts }
  })
}

describe('module lifecycle', () => {
  it('starts in list order and stops in reverse', async () => {
    const events: string[] = []
    const stop = await startModules(modules(events, ['a', 'b', 'c']), {
      pubsub: new MemoryPubSub(),
      log: recordingLog(),
    })
    await stop()
    expect(events).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a'])
  })

  it('stops the modules already started, in reverse, when one fails to start', async () => {
    const events: string[] = []
    const log = recordingLog()
    await expect(
      startModules(modules(events, ['a', 'b', 'c', 'd'], { start: 'c' }), {
        pubsub: new MemoryPubSub(),
        log,
      }),
    ).rejects.toThrow('c cannot start')
    expect(events).toEqual(['start a', 'start b', 'stop b', 'stop a'])
    expect(log.errors).toEqual(['c: starting a module failed; stopping the others'])
  })

  it('stops every module even when one throws, then throws all the errors together', async () => {
    const events: string[] = []
    const log = recordingLog()
    const stop = await startModules(
      modules(events, ['a', 'b', 'c'], { stop: 'b' }).concat(modules(events, ['d'], { stop: 'd' })),
      { pubsub: new MemoryPubSub(), log },
    )
    const failure = await stop().catch((err: unknown) => err)
    expect(events.slice(4)).toEqual(['stop d', 'stop c', 'stop b', 'stop a'])
    expect(failure).toBeInstanceOf(AggregateError)
    expect(failure instanceof AggregateError && failure.errors.map(String)).toEqual([
      'Error: d cannot stop',
      'Error: b cannot stop',
    ])
    expect(log.errors).toEqual(['d: stopping a module failed', 'b: stopping a module failed'])
  })

  it('subscribes a module before its start and unsubscribes it after its stop', async () => {
    const pubsub = new MemoryPubSub()
    const heard: string[] = []
    const module: BuiltModule = {
      name: 'listener',
      parts: { subscriptions: [on(LIFECYCLE_PING, () => heard.push('ping'))] },
    }
    const stop = await startModules([module], { pubsub, log: recordingLog() })
    expect(await publish(pubsub, LIFECYCLE_PING, null)).toBe(1)
    await stop()
    expect(await publish(pubsub, LIFECYCLE_PING, null)).toBe(0)
  })
})

describe('building modules', () => {
  // Building reads neither: these modules only pass them around.
  const deps = {} as Deps
  const provider = {} as AgentQueryProvider
  const GREETING = defineService<string>('greeting')

  it('gives a module the services and agent question providers of the modules before it', async () => {
    let seen: unknown[] = []
    const list: FeatureModule[] = [
      { name: 'greeter', build: () => ({ provides: [provide(GREETING, 'hello')] }) },
      { name: 'asker', build: () => ({ agentQueryProviders: [provider], cronJobs: [] }) },
      {
        name: 'user',
        build: ({ use, agentQueryProviders }) => {
          seen = [use(GREETING), ...agentQueryProviders()]
          return {}
        },
      },
    ]
    const built = await buildModules(deps, list)
    expect(seen).toEqual(['hello', provider])
    expect(built.use(GREETING)).toBe('hello')
    expect(built.modules.map((m) => m.name)).toEqual(['greeter', 'asker', 'user'])
  })

  it('refuses a module list in the wrong order', async () => {
    const eager: FeatureModule = { name: 'eager', build: ({ use }) => (use(GREETING), {}) }
    await expect(buildModules(deps, [eager])).rejects.toThrow(
      'eager needs "greeting", which no module before it provides',
    )
    const late: FeatureModule = {
      name: 'late',
      build: () => ({
        agentQueryProviders: [provider],
      }),
    }
    const pipeline: FeatureModule = {
      name: 'pipeline',
      build: ({ agentQueryProviders }) => (agentQueryProviders(), {}),
    }
    await expect(buildModules(deps, [pipeline, late])).rejects.toThrow(
      'late contributes agent query providers, but pipeline took the list before it',
    )
    const twice: FeatureModule = {
      name: 'twice',
      build: () => ({ provides: [provide(GREETING, 'hi')] }),
    }
    await expect(buildModules(deps, [twice, twice])).rejects.toThrow(
      'twice provides "greeting", which is already provided',
    )
  })
})
