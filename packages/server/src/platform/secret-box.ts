import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/** Fleet's rule for `server.private_key`: at least 32 characters. */
export const MIN_SERVER_KEY_LENGTH = 32

const VERSION = 'v1:'

/**
 * Seals secrets stored in the database (MDM private keys, the SCEP challenge) with the server's
 * private key (`server.private_key`, Fleet's FLEET_SERVER_PRIVATE_KEY): AES-256-GCM with a fresh
 * 96-bit nonce per value, the key being SHA-256 of the configured text (so any text of 32+
 * characters gives a full-strength key). A sealed value is `v1:` + base64(nonce | tag |
 * ciphertext); the version prefix leaves room for another scheme. `associated` binds a value to
 * its name so a value copied under another name does not open.
 */
export interface SecretBox {
  seal(plain: Uint8Array, associated: string): string
  /** Throws when the value was sealed with another key, under another name, or altered. */
  open(sealed: string, associated: string): Buffer
}

export function createSecretBox(serverKey: string): SecretBox {
  if (serverKey.length < MIN_SERVER_KEY_LENGTH) {
    throw new Error(`the server private key must be at least ${MIN_SERVER_KEY_LENGTH} characters`)
  }
  const key = createHash('sha256').update(serverKey, 'utf8').digest()
  return {
    seal(plain, associated) {
      const nonce = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, nonce)
      cipher.setAAD(Buffer.from(associated, 'utf8'))
      const encrypted = Buffer.concat([cipher.update(plain), cipher.final()])
      return VERSION + Buffer.concat([nonce, cipher.getAuthTag(), encrypted]).toString('base64')
    },
    open(sealed, associated) {
      if (!sealed.startsWith(VERSION)) {
        throw new Error('not a sealed value')
      }
      const raw = Buffer.from(sealed.slice(VERSION.length), 'base64')
      if (raw.length < 28) {
        throw new Error('sealed value too short')
      }
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
      decipher.setAAD(Buffer.from(associated, 'utf8'))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()])
    },
  }
}
