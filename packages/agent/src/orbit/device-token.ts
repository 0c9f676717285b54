import { randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { readSecretFile, writeSecretFile } from './root-dir.js'

/** Fleet refuses device tokens an hour after they were registered; rotate well before. */
export const DEVICE_TOKEN_ROTATE_MS = 50 * 60_000

/**
 * The host's device token (a v4 UUID in `<root>/identifier`, as Fleet's orbit keeps it) and
 * whether it is due for rotation. A missing, malformed or old token is replaced by a new one,
 * which is only returned: {@link saveDeviceToken} writes it once the server has registered it, so
 * whoever reads the file (Fleet Desktop, `fleetd desktop`) never sees a token the server refuses.
 */
export function currentDeviceToken(path: string, now: number): { token: string; rotated: boolean } {
  const existing = readDeviceToken(path)
  const age = existing === undefined ? Infinity : now - statSync(path).mtimeMs
  if (existing !== undefined && age < DEVICE_TOKEN_ROTATE_MS) {
    return { token: existing, rotated: false }
  }
  return { token: randomUUID(), rotated: true }
}

/** Stores a registered device token (0600). */
export function saveDeviceToken(path: string, token: string): void {
  writeSecretFile(path, token)
}

/** The token in the file, or undefined when the file is missing or holds no UUID. */
export function readDeviceToken(path: string): string | undefined {
  const text = readSecretFile(path)
  return text !== undefined && isUuid(text) ? text : undefined
}

function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(text)
}
