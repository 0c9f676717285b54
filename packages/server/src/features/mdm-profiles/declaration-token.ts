import { createHash } from 'node:crypto'

/**
 * `secrets_updated_at` as text in the ServerToken, the way Fleet's MySQL renders its DATETIME(6)
 * (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC). Any stable rendering would do: the token is opaque to
 * devices; it only has to change when a referenced secret changes.
 */
export function secretsUpdatedText(secretsUpdatedAt: number | null): string {
  if (secretsUpdatedAt === null) {
    return ''
  }
  const iso = new Date(secretsUpdatedAt).toISOString() // 2026-12-07T20:43:44.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`
}

/**
 * A declaration's ServerToken (reference §4.3): upper-case hex MD5 of the raw JSON as uploaded
 * (`$FLEET_SECRET_*` unexpanded) immediately followed by `secrets_updated_at` as text (nothing
 * when null). Stored in `mdm_apple_declarations.token` at write time; a changed secret moves
 * `secrets_updated_at`, hence the token, hence the device resyncs.
 */
export function declarationServerToken(rawJson: string, secretsUpdatedAt: number | null): string {
  return createHash('md5')
    .update(rawJson, 'utf8')
    .update(secretsUpdatedText(secretsUpdatedAt), 'utf8')
    .digest('hex')
    .toUpperCase()
}
