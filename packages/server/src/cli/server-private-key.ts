import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../config/index.js'

/**
 * The configuration with `server.private_key` filled in for the embedded database: zero set-up
 * means `fleet serve` alone can turn Apple MDM on, so a key is generated once into
 * `<data_dir>/server_private_key` (mode 0600) and reused. With MySQL or PostgreSQL the key must be
 * configured, as in Fleet: several instances share one database and must share the key.
 */
export function withEmbeddedPrivateKey(config: Config, embedded: boolean): Config {
  if (config.server.private_key || !embedded) {
    return config
  }
  const path = join(config.data_dir, 'server_private_key')
  if (!existsSync(path)) {
    mkdirSync(config.data_dir, { recursive: true })
    writeFileSync(path, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' })
  }
  chmodSync(path, 0o600)
  const key = readFileSync(path, 'utf8').trim()
  return { ...config, server: { ...config.server, private_key: key } }
}
