import { createHash, randomBytes } from 'node:crypto'

/** A random token of `bytes` entropy, base64url-encoded (session tokens, node keys). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** SHA-256 of a secret token, hex: what we store instead of the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
