import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/database.js'
import { createKysely } from '../../platform/db/index.js'
import { silentLogger } from '../../platform/logger.js'
import {
  MemoryPubSub,
  on,
  RedisPubSub,
  redisOptions,
  type Channel,
  type PubSub,
} from '../../platform/pubsub/index.js'
import { buildServer, type FleetServer } from '../../server.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { APP_CONFIG_CHANGED } from '../app-config/index.js'
import { AGENT_HOSTS_CHANGED } from '../hosts/index.js'
import { TEAMS_CHANGED } from './index.js'

/**
 * Cache invalidation crosses instances: two servers share one database and one pub/sub (Redis
 * when REDIS_URL is set, as in CI, where DIALECTS also has mysql: several `fleet serve` processes
 * on MariaDB + Redis), each with its own connections. Agent options changed through instance A
 * reach a host checking in to instance B, whose caches held the old ones, without a restart or
 * a TTL: B drops its copy when A's message arrives.
 */
const REDIS_URL = process.env.REDIS_URL
const FLEET = '/api/latest/fleet'
const SECRET = 'instances-secret'

async function redisPubSub(): Promise<PubSub> {
  const url = new URL(REDIS_URL ?? 'redis://127.0.0.1:6379')
  const pubsub = new RedisPubSub(
    redisOptions({
      address: `${url.hostname}:${url.port || '6379'}`,
      password: url.password,
      database: 0,
      use_tls: false,
    }),
    silentLogger(),
  )
  await pubsub.connect()
  return pubsub
}

/** Pub/sub for instances A and B: one in-process bus, or two connections to Redis. */
const BUSES: { bus: string; make: () => Promise<[PubSub, PubSub]> }[] = [
  {
    bus: 'memory',
    make: () => {
      const shared = new MemoryPubSub()
      return Promise.resolve([shared, shared])
    },
  },
]
if (REDIS_URL) {
  BUSES.push({ bus: 'redis', make: async () => [await redisPubSub(), await redisPubSub()] })
}

const cases = DIALECTS.flatMap((dialect) => BUSES.map((bus) => ({ dialect, ...bus })))

describe.each(cases)('agent options across instances [$dialect, $bus]', ({ dialect, make }) => {
  let a: TestServer
  let b: FleetServer
  let pubsubB: PubSub
  let admin: string
  const closers: (() => Promise<void>)[] = []

  beforeAll(async () => {
    const [pubsubA, second] = await make()
    pubsubB = second
    a = await startTestServer(dialect, { pubsub: pubsubA })
    const dbB = createKysely<Database>(a.database.target)
    b = await buildServer({ ...a.deps, db: dbB, pubsub: pubsubB }, { validateResponses: true })
    closers.push(
      () => b.close(),
      () => dbB.destroy(),
      () => a.close(),
      () => pubsubA.close(),
      () => (pubsubB === pubsubA ? Promise.resolve() : pubsubB.close()),
    )
    admin = await a.setupAdmin()
    await a.request('POST', `${FLEET}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: SECRET }] } },
    })
  })
  afterAll(async () => {
    for (const close of closers) {
      await close()
    }
  })

  /** Enrolls a host through instance B; its node key. */
  const enrollOnB = async (uuid: string): Promise<string> => {
    const res = await b.app.inject({
      method: 'POST',
      url: '/api/osquery/enroll',
      payload: JSON.stringify(
        fixtureBlock('ubuntu_22.04', 'enroll', { uuid, hostname: uuid, enrollSecret: SECRET }),
      ),
      headers: { 'content-type': 'application/json' },
    })
    return String(asRecord(res.json()).node_key)
  }
  /** The osquery options a host gets from instance B. */
  const optionsOnB = async (nodeKey: string) => {
    const res = await b.app.inject({
      method: 'POST',
      url: '/api/osquery/config',
      payload: { node_key: nodeKey },
    })
    expect(res.statusCode).toBe(200)
    return asRecord(asRecord(res.json()).options)
  }
  /** Resolves once instance B has handled a message on `channel` that `matches`. */
  const heardOnB = async <T>(channel: Channel<T>, matches: (payload: T) => boolean) => {
    let heard: () => void = () => undefined
    const promise = new Promise<void>((resolve) => (heard = resolve))
    // Subscribed after B's own caches, so B has dropped its copy by the time this runs.
    const unsubscribe = await on(channel, (payload) => {
      if (matches(payload)) {
        heard()
      }
    }).subscribe(pubsubB, silentLogger())
    return { done: promise.finally(unsubscribe) }
  }

  it("a team's new agent options reach a host checking in to the other instance", async () => {
    const created = await a.request('POST', `${FLEET}/teams`, {
      token: admin,
      body: { name: 'Instances' },
    })
    const teamId = Number(asRecord(created.data().team).id)
    const nodeKey = await enrollOnB('INSTANCES-TEAM-HOST')
    const lookup = await a.request('GET', `${FLEET}/hosts/identifier/INSTANCES-TEAM-HOST`, {
      token: admin,
    })
    const hostId = Number(asRecord(lookup.data().host).id)
    const setTeamOptions = (delimiter: string) =>
      a.request('POST', `${FLEET}/teams/${teamId}/agent_options`, {
        token: admin,
        body: { config: { options: { pack_delimiter: delimiter } } },
      })

    expect((await setTeamOptions('/')).statusCode).toBe(200)
    const moved = await heardOnB(AGENT_HOSTS_CHANGED, (m) => m.hostIds.includes(hostId))
    await a.request('POST', `${FLEET}/hosts/transfer`, {
      token: admin,
      body: { team_id: teamId, hosts: [hostId] },
    })
    await moved.done
    // B now caches the host (in the team) and the team's options.
    expect((await optionsOnB(nodeKey)).pack_delimiter).toBe('/')

    const changed = await heardOnB(TEAMS_CHANGED, (id) => id === teamId)
    expect((await setTeamOptions('_')).statusCode).toBe(200)
    await changed.done
    expect((await optionsOnB(nodeKey)).pack_delimiter).toBe('_')
  })

  it('new global agent options reach a host with no team checking in to the other instance', async () => {
    const nodeKey = await enrollOnB('INSTANCES-GLOBAL-HOST')
    const setGlobalOptions = (delimiter: string) =>
      a.request('PATCH', `${FLEET}/config`, {
        token: admin,
        body: { agent_options: { config: { options: { pack_delimiter: delimiter } } } },
      })
    const first = await heardOnB(APP_CONFIG_CHANGED, () => true)
    expect((await setGlobalOptions('/')).statusCode).toBe(200)
    await first.done
    expect((await optionsOnB(nodeKey)).pack_delimiter).toBe('/')

    const changed = await heardOnB(APP_CONFIG_CHANGED, () => true)
    expect((await setGlobalOptions('_')).statusCode).toBe(200)
    await changed.done
    expect((await optionsOnB(nodeKey)).pack_delimiter).toBe('_')
  })
})
