import { hostname } from 'node:os'
import type { Config } from '../config/index.js'
import { migrateToLatest, pendingMigrations } from '../db/migrate.js'
import type { Deps } from '../deps.js'
import { countUsers } from '../features/users/index.js'
import { systemClock } from '../platform/clock.js'
import type { DbTarget } from '../platform/db/index.js'
import { loadOrCreateTls, tlsKeyWarning, type TlsFiles } from '../platform/http/index.js'
import { createLogger, type Logger } from '../platform/logger.js'
import { runInReverse } from '../platform/run-in-reverse.js'
import { buildServer } from '../server.js'
import { describeTarget, openDatabase, openPubSub } from './runtime.js'
import { withEmbeddedPrivateKey } from './server-private-key.js'

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

/** What a start has opened so far, released in reverse order; a failing release is logged. */
class Releases {
  readonly #steps: { what: string; release: () => Promise<void> }[] = []
  constructor(private readonly log: Logger) {}

  add(what: string, release: () => Promise<void>): void {
    this.#steps.push({ what, release })
  }

  async releaseAll(): Promise<void> {
    await runInReverse(
      this.#steps.splice(0),
      ({ release }) => release(),
      ({ what }, err) => this.log.error({ err }, `closing ${what} failed`),
    )
  }
}

/**
 * `fleet serve`: opens the database (the embedded SQLite one migrates itself; MySQL and PostgreSQL
 * must be prepared with `fleet prepare db`), pub/sub and TLS, then serves until SIGINT/SIGTERM.
 * A start that fails half-way (Redis down, the port in use) releases what it had opened — the
 * database pool, Redis connections, modules — and throws, so the process exits non-zero and a
 * supervisor restarts it, on every backend.
 */
export async function serve(config: Config, output: Output): Promise<number> {
  const log = createLogger({ debug: config.logging.debug, json: config.logging.json })
  const releases = new Releases(log)
  try {
    const started = await start(config, log, releases)
    if (typeof started === 'string') {
      output.err(started)
      return 1
    }
    output.out(await startupMessage(config, started))
    await new Promise<void>((resolve) => {
      const stop = () => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    log.info('shutting down')
    return 0
  } finally {
    await releases.releaseAll()
  }
}

interface Started {
  deps: Deps
  url: string
  tls: TlsFiles | undefined
  target: DbTarget
}

/** Opens everything and listens; returns a message instead when the database isn't ready. */
async function start(config: Config, log: Logger, releases: Releases): Promise<Started | string> {
  const { db, target } = await openDatabase(config, log)
  releases.add('the database', () => db.destroy())
  const pending = await pendingMigrations(db)
  if (pending.length > 0 && target.dialect !== 'sqlite') {
    return `fleet: the database has ${pending.length} pending migration(s) (${pending.join(', ')}); run \`fleet prepare db\` first`
  }
  if (pending.length > 0) {
    await migrateToLatest(db)
    log.info({ migrations: pending }, 'embedded database migrated')
  }
  const pubsub = await openPubSub(config, log)
  releases.add('pub/sub', () => pubsub.close())
  const tls = await loadTls(config, log)
  const deps: Deps = {
    db,
    config: withEmbeddedPrivateKey(config, target.dialect === 'sqlite'),
    clock: systemClock,
    log,
    pubsub,
  }
  const server = await buildServer(deps, { https: tls && { key: tls.key, cert: tls.cert } })
  releases.add('the server', () => server.close())
  const { host, port } = splitListen(config.server.address)
  await server.app.listen({ host, port })
  server.cron.start()
  releases.add('cron', () => server.cron.stop())
  const address = server.app.server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  const shownHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host
  return { deps, url: `${tls ? 'https' : 'http'}://${shownHost}:${actualPort}`, tls, target }
}

async function loadTls(config: Config, log: Logger): Promise<TlsFiles | undefined> {
  if (!config.server.tls) {
    return undefined
  }
  const tls = await loadOrCreateTls({
    certPath: config.server.cert,
    keyPath: config.server.key,
    dataDir: config.data_dir,
  })
  if (tls.generated) {
    log.info({ cert: tls.certPath }, 'generated a self-signed ECDSA P-256 certificate')
  }
  const keyWarning = tlsKeyWarning(tls.key)
  if (keyWarning) {
    log.warn({ cert: tls.certPath }, keyWarning)
  }
  return tls
}

/** What `fleet serve` prints once listening, in one write (whoever waits for the URL gets all). */
async function startupMessage(config: Config, started: Started): Promise<string> {
  const { url, tls, target, deps } = started
  const lines = [
    `Fleet server listening on ${url} (${describeTarget(target)}, ${config.redis.address ? `Redis ${config.redis.address}` : 'in-process pub/sub'})`,
  ]
  if (tls) {
    lines.push(
      `TLS certificate: ${tls.certPath}${config.server.cert ? '' : ' (self-signed; fleetctl needs --tls-skip-verify or --rootca)'}`,
    )
  }
  if ((await countUsers(deps.db)) === 0) {
    lines.push(
      'No users yet. Create the first admin with:',
      `  fleetctl config set --address ${url}${tls && !config.server.cert ? ' --tls-skip-verify' : ''}`,
      `  fleetctl setup --email admin@example.com --name Admin --password '<12+ chars, a number and a symbol>' --org-name '${hostname()}'`,
    )
  }
  return lines.join('\n')
}
