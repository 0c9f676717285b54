import type { Kysely } from 'kysely'
import type { Config } from './config/index.js'
import type { Database } from './db/database.js'
import type { Clock } from './platform/clock.js'
import type { Logger } from './platform/logger.js'
import type { PubSub } from './platform/pubsub/index.js'

/** What every service receives from `main.ts`; no service reads process.env or a singleton. */
export interface Deps {
  db: Kysely<Database>
  config: Config
  clock: Clock
  log: Logger
  pubsub: PubSub
}
