import { createPrivateKey } from 'node:crypto'
import { z } from 'zod'
import { openEnvelopeCms } from '../../platform/pki/cms-envelope.js'
import { pemBlocks } from '../../platform/pki/pem.js'

/** The OAuth 1.0a credentials of an ABM server token. */
export interface AbmCredentials {
  consumerKey: string
  consumerSecret: string
  accessToken: string
  accessSecret: string
}

/** What a decrypted server token holds. */
export interface AbmServerToken extends AbmCredentials {
  /** Apple's `access_token_expiry`, ms. */
  expiresAt: number
}

/** Why a `.p7m` was refused, said to the admin who uploaded it. */
export class AbmTokenFileError extends Error {}

const TokenJson = z.object({
  consumer_key: z.string().min(1),
  consumer_secret: z.string().min(1),
  access_token: z.string().min(1),
  access_secret: z.string().min(1),
  access_token_expiry: z.string().min(1),
})

/**
 * The DER EnvelopedData of a server token file. ABM gives an S/MIME message
 * (`Content-Type: application/pkcs7-mime`, base64 body after the headers); a PEM `PKCS7` block or
 * bare base64 is accepted too.
 */
export function envelopeDer(text: string): Buffer {
  const [pem] = pemBlocks(text, 'PKCS7')
  if (pem) {
    return pem
  }
  const normalized = text.replace(/\r\n/g, '\n')
  const split = normalized.indexOf('\n\n')
  const looksMime = /^[\w-]+:/m.test(normalized.slice(0, Math.max(split, 0)))
  const body = looksMime && split >= 0 ? normalized.slice(split + 2) : normalized
  const compact = body.replace(/\s+/g, '')
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw new AbmTokenFileError(
      'Invalid token. Please provide a valid token from Apple Business Manager.',
    )
  }
  return Buffer.from(compact, 'base64')
}

/**
 * The credentials inside a decrypted token: a MIME part whose body wraps JSON between
 * `-----BEGIN MESSAGE-----` and `-----END MESSAGE-----`.
 */
export function parseTokenMessage(content: string): AbmServerToken {
  const match = /-----BEGIN MESSAGE-----([\s\S]*?)-----END MESSAGE-----/.exec(content)
  if (!match) {
    throw new AbmTokenFileError('Invalid token: no token message in the decrypted file.')
  }
  let json: unknown
  try {
    json = JSON.parse(match[1] ?? '')
  } catch {
    throw new AbmTokenFileError('Invalid token: the token message is not JSON.')
  }
  const parsed = TokenJson.safeParse(json)
  if (!parsed.success) {
    throw new AbmTokenFileError('Invalid token: the OAuth credentials are incomplete.')
  }
  const expiresAt = Date.parse(parsed.data.access_token_expiry)
  if (Number.isNaN(expiresAt)) {
    throw new AbmTokenFileError('Invalid token: access_token_expiry is not a date.')
  }
  return {
    consumerKey: parsed.data.consumer_key,
    consumerSecret: parsed.data.consumer_secret,
    accessToken: parsed.data.access_token,
    accessSecret: parsed.data.access_secret,
    expiresAt,
  }
}

/** Decrypts a server token file with the ABM key (PEM) and reads its credentials. */
export function decryptAbmToken(text: string, keyPem: string): AbmServerToken {
  const der = envelopeDer(text)
  let content: Buffer
  try {
    content = openEnvelopeCms(der, createPrivateKey(keyPem)).content
  } catch {
    throw new AbmTokenFileError(
      "Invalid token: it does not decrypt with this server's ABM key. Download the public key again and upload it to Apple Business Manager.",
    )
  }
  return parseTokenMessage(content.toString('utf8'))
}
