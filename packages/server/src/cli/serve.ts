import { hostname } from 'node:os'
import type { Config } from '../config/index.js'
import { migrateToLatest, pendingMigrations } from '../db/migrate.js'
import type { Deps } from '../deps.js'
import { countUsers } from '../features/users/index.js'
import { systemClock } from '../platform/clock.js'
import { loadOrCreateTls, tlsKeyWarning } from '../platform/http/index.js'
import { createLogger } from '../platform/logger.js'
import { createCronRunner } from '../cron/index.js'
import { buildServer } from '../server.js'
import { describeTarget, openDatabase, openPubSub } from './runtime.js'

export interface Output {
  out(line: string): void
  err(line: string): void
}

function splitListen(address: string): { host: string; port: number } {
  const index = address.lastIndexOf(':')
  return {
    host: address.slice(0, index).replace(/^\[|\]$/g, '') || '0.0.0.0',
    port: Number(address.slice(index + 1)),
  }
}

/**
 * `fleet serve`: opens the database (the embedded SQLite one migrates itself; MySQL and PostgreSQL
 * must be prepared with `fleet prepare db`), pub/sub and TLS, then serves until SIGINT/SIGTERM.
 */
export async function serve(config: Config, output: Output): Promise<number> {
  const log = createLogger({ debug: config.logging.debug, json: config.logging.json })
  const { db, target } = await openDatabase(config, log)
  const pending = await pendingMigrations(db)
  if (pending.length > 0 && target.dialect !== 'sqlite') {
    await db.destroy()
    output.err(
      `fleet: the database has ${pending.length} pending migration(s) (${pending.join(', ')}); run \`fleet prepare db\` first`,
    )
    return 1
  }
  if (pending.length > 0) {
    await migrateToLatest(db)
    log.info({ migrations: pending }, 'embedded database migrated')
  }
  const pubsub = await openPubSub(config, log)
  const tls = config.server.tls
    ? await loadOrCreateTls({
        certPath: config.server.cert,
        keyPath: config.server.key,
        dataDir: config.data_dir,
      })
    : undefined
  if (tls?.generated) {
    log.info({ cert: tls.certPath }, 'generated a self-signed ECDSA P-256 certificate')
  }
  const keyWarning = tls && tlsKeyWarning(tls.key)
  if (keyWarning) {
    log.warn({ cert: tls.certPath }, keyWarning)
  }
  const deps: Deps = { db, config, clock: systemClock, log, pubsub }
  const server = await buildServer(deps, { https: tls && { key: tls.key, cert: tls.cert } })
  const { host, port } = splitListen(config.server.address)
  await server.app.listen({ host, port })
  const cron = createCronRunner(deps, server.cronJobs)
  cron.start()
  const address = server.app.server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  const shownHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host
  const url = `${tls ? 'https' : 'http'}://${shownHost}:${actualPort}`
  // One write, so whoever waits for the URL also has the rest.
  const lines = [
    `Fleet server listening on ${url} (${describeTarget(target)}, ${config.redis.address ? `Redis ${config.redis.address}` : 'in-process pub/sub'})`,
  ]
  if (tls) {
    lines.push(
      `TLS certificate: ${tls.certPath}${config.server.cert ? '' : ' (self-signed; fleetctl needs --tls-skip-verify or --rootca)'}`,
    )
  }
  if ((await countUsers(db)) === 0) {
    lines.push(
      'No users yet. Create the first admin with:',
      `  fleetctl config set --address ${url}${tls && !config.server.cert ? ' --tls-skip-verify' : ''}`,
      `  fleetctl setup --email admin@example.com --name Admin --password '<12+ chars, a number and a symbol>' --org-name '${hostname()}'`,
    )
  }
  output.out(lines.join('\n'))
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  log.info('shutting down')
  await cron.stop()
  await server.close()
  await pubsub.close()
  await db.destroy()
  return 0
}
