import { waitFor } from '@fleet/test-support'
import Fastify from 'fastify'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../test-utils/databases.js'
import { startTestServer } from '../../test-utils/test-server.js'
import { UnavailableError } from '../errors/index.js'
import { silentLogger } from '../logger.js'
import { MemoryPubSub } from '../pubsub/index.js'
import { RedisPubSub, redisOptions } from '../pubsub/redis-pubsub.js'
import { registerHealthCheck } from './health.js'

class DownPubSub extends MemoryPubSub {
  override ping(): Promise<void> {
    return Promise.reject(new UnavailableError('Redis is unavailable (connection reconnecting)'))
  }
}

describe('GET /healthz', () => {
  it('is 200 while the database and pub/sub answer', async () => {
    const t = await startTestServer('sqlite')
    try {
      const res = await t.request('GET', '/healthz')
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ status: 'ok' })
    } finally {
      await t.close()
    }
  })

  it('is 503 naming pub/sub while Redis is down', async () => {
    const t = await startTestServer('sqlite', { pubsub: new DownPubSub() })
    try {
      const res = await t.request('GET', '/healthz')
      expect(res.statusCode).toBe(503)
      expect(res.json()).toEqual({ status: 'unavailable', failing: ['pubsub'] })
    } finally {
      await t.close()
    }
  })

  it('is 503 naming the database when it does not answer', async () => {
    const database = await createTestDatabase('sqlite')
    const app = Fastify()
    registerHealthCheck(app, { db: database.db, pubsub: new MemoryPubSub(), log: silentLogger() })
    await database.drop()
    try {
      const res = await app.inject({ method: 'GET', url: '/healthz' })
      expect(res.statusCode).toBe(503)
      expect(res.json()).toEqual({ status: 'unavailable', failing: ['database'] })
    } finally {
      await app.close()
    }
  })
})

/** A TCP proxy to Redis that the test can cut, as a Redis outage would. */
function redisProxy(target: URL): Promise<{ port: number; cut(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => socket.destroy())
      socket.on('close', () => sockets.delete(socket))
    }
    client.pipe(upstream).pipe(client)
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        cut: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) {
              socket.destroy()
            }
            server.close(() => done())
          }),
      })
    })
  })
}

describe.runIf(process.env.REDIS_URL !== undefined)('RedisPubSub while Redis is down', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup()
    }
  })

  it('fails at once with a 503 reason instead of queueing for seconds', async () => {
    const proxy = await redisProxy(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'))
    const pubsub = new RedisPubSub(
      redisOptions({
        address: `127.0.0.1:${proxy.port}`,
        password: '',
        database: 0,
        use_tls: false,
      }),
      silentLogger(),
    )
    cleanups.push(() => pubsub.close())
    await pubsub.connect()
    await pubsub.ping()
    expect(await pubsub.publish('health-test', 'up')).toBeGreaterThanOrEqual(0)
    await proxy.cut()
    // ioredis notices the dropped connection; from then on nothing waits in its queue.
    await waitFor('the connection loss to be noticed', () =>
      pubsub.ping().then(
        () => false,
        (err: unknown) => err instanceof UnavailableError,
      ),
    )
    const refused: unknown = await pubsub
      .publish('health-test', 'down')
      .catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(UnavailableError)
    expect(refused instanceof UnavailableError && refused.details[0]?.reason).toMatch(
      /^Redis is unavailable \(connection (connecting|reconnecting|close|end)\)$/,
    )
  })
})
