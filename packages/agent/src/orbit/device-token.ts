import { randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { readSecretFile, writeSecretFile } from './root-dir.js'

/** Fleet refuses device tokens an hour after they were registered; rotate well before. */
export const DEVICE_TOKEN_ROTATE_MS = 50 * 60_000

/**
 * The host's device token (a v4 UUID in `<root>/identifier`, as Fleet's orbit keeps it) and
 * whether it is due for rotation. A missing, malformed or old token is replaced by a new one.
 */
export function currentDeviceToken(path: string, now: number): { token: string; rotated: boolean } {
  const existing = readSecretFile(path)
  const age = existing === undefined ? Infinity : now - statSync(path).mtimeMs
  if (existing !== undefined && isUuid(existing) && age < DEVICE_TOKEN_ROTATE_MS) {
    return { token: existing, rotated: false }
  }
  const token = randomUUID()
  writeSecretFile(path, token)
  return { token, rotated: true }
}

function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(text)
}
