import { errorMessage } from '../platform/errors/index.js'
import type { Kysely } from 'kysely'
import type { Config } from '../config/index.js'
import { storageTarget } from '../config/index.js'
import type { Database } from '../db/database.js'
import { createKysely, type DbTarget } from '../platform/db/index.js'
import type { Logger } from '../platform/logger.js'
import { MemoryPubSub, RedisPubSub, redisOptions, type PubSub } from '../platform/pubsub/index.js'

/** One line saying where the data lives, without the password. */
export function describeTarget(target: DbTarget): string {
  return target.dialect === 'sqlite'
    ? `SQLite at ${target.path}`
    : `${target.dialect === 'mysql' ? 'MySQL' : 'PostgreSQL'} ${target.user}@${target.host}:${target.port}/${target.database}`
}

/** Opens the configured database and checks that it answers. */
export async function openDatabase(
  config: Config,
  log?: Logger,
): Promise<{ db: Kysely<Database>; target: DbTarget }> {
  const target = storageTarget(config)
  const db = createKysely<Database>(target, {
    onIdleConnectionError: (err) =>
      log?.warn({ err: errorMessage(err) }, 'database connection lost; reconnecting on next use'),
    sqliteBackgroundCheckpoint: {
      onError: (message) => log?.warn({ err: message }, 'SQLite WAL checkpoint failed; retrying'),
    },
  })
  try {
    await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute()
  } catch (err) {
    await db.destroy().catch(() => undefined)
    throw new Error(`cannot reach ${describeTarget(target)}: ${errorMessage(err)}`, { cause: err })
  }
  return { db, target }
}

/** Redis pub/sub when `redis.address` is set (fails fast if unreachable), else in-process. */
export async function openPubSub(config: Config, log: Logger): Promise<PubSub> {
  if (!config.redis.address) {
    return new MemoryPubSub()
  }
  const pubsub = new RedisPubSub(redisOptions(config.redis), log)
  try {
    await pubsub.connect()
  } catch (err) {
    await pubsub.close()
    throw new Error(`cannot reach Redis at ${config.redis.address}: ${errorMessage(err)}`, {
      cause: err,
    })
  }
  return pubsub
}
