import { MAX_ENROLL_SECRETS } from '@fleet/api'

/**
 * A new random enroll secret: 32 characters of URL-safe base64 from the browser's CSPRNG, as
 * Fleet's console generates (24 random bytes).
 */
export function generateSecret(random: (bytes: Uint8Array) => Uint8Array): string {
  const bytes = random(new Uint8Array(24))
  let text = ''
  for (const byte of bytes) {
    text += String.fromCharCode(byte)
  }
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_')
}

/** The list to send after adding `secret`, or why it can't be added. */
export function withSecret(
  current: readonly string[],
  secret: string,
): { secrets: string[] } | { error: string } {
  const value = secret.trim()
  if (value === '') {
    return { error: 'A secret cannot be empty.' }
  }
  if (!/^[\x21-\x7e]+$/.test(value)) {
    return { error: 'A secret is printable ASCII without spaces.' }
  }
  if (current.includes(value)) {
    return { error: 'That secret is already in the list.' }
  }
  if (current.length >= MAX_ENROLL_SECRETS) {
    return { error: `At most ${MAX_ENROLL_SECRETS} secrets.` }
  }
  return { secrets: [...current, value] }
}

/** The list to send after deleting `secret`. */
export function withoutSecret(current: readonly string[], secret: string): string[] {
  return current.filter((s) => s !== secret)
}
