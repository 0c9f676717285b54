import { sql, type Kysely } from 'kysely'
import type { PubSub } from '../pubsub/index.js'
import type { FastifyInstance } from 'fastify'
import type { Logger } from '../logger.js'

/** A dependency slower than this to answer counts as down. */
const CHECK_TIMEOUT_MS = 2_000

async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * `GET /healthz`, as Fleet's: 200 while the database answers `SELECT 1` and pub/sub (Redis) is
 * connected, else 503 naming what failed — so a load balancer stops sending requests to an
 * instance that would answer every one of them with an error. Unauthenticated; it shows no
 * addresses or error texts (those go to the log).
 */
export function registerHealthCheck<DB>(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; pubsub: PubSub; log: Logger },
): void {
  const checks: Record<string, () => Promise<unknown>> = {
    database: () => sql`select 1`.execute(deps.db),
    pubsub: () => deps.pubsub.ping(),
  }
  app.get('/healthz', async (_request, reply) => {
    const failing: string[] = []
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await within(check(), CHECK_TIMEOUT_MS)
        } catch (err) {
          failing.push(name)
          deps.log.warn({ check: name, err }, 'health check failed')
        }
      }),
    )
    if (failing.length > 0) {
      return reply.code(503).send({ status: 'unavailable', failing: failing.sort() })
    }
    return { status: 'ok' }
  })
}
