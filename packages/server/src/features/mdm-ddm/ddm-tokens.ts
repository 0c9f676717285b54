import { createHash } from 'node:crypto'

/** One declaration a host should have installed, as the token math needs it. */
export interface TokenItem {
  declarationUuid: string
  /** Upper-case hex ServerToken (`declarationServerToken`). */
  token: string
  uploadedAt: number
  createdAt: number
}

/** The `tokens` endpoint's SyncTokens (reference §4.2). */
export interface SyncTokens {
  DeclarationsToken: string
  Timestamp: string
}

/** Newest upload first, ties by declaration uuid ascending: deterministic, unlike Fleet's old SQL. */
export function tokenOrder(a: TokenItem, b: TokenItem): number {
  if (a.uploadedAt !== b.uploadedAt) {
    return b.uploadedAt - a.uploadedAt
  }
  return a.declarationUuid < b.declarationUuid ? -1 : a.declarationUuid > b.declarationUuid ? 1 : 0
}

/**
 * A host's DeclarationsToken (reference §4.3): lower-case hex MD5 of the decimal count of its
 * install declarations immediately followed by their ServerTokens in {@link tokenOrder}; the empty
 * string when there are none. `tokens` and `declaration-items` both answer this one value.
 *
 * @example declarationsToken([{ token: 'AB…', … }]) === md5('1AB…')
 */
export function declarationsToken(items: readonly TokenItem[]): string {
  if (items.length === 0) {
    return ''
  }
  const sorted = [...items].sort(tokenOrder)
  return createHash('md5')
    .update(`${sorted.length}${sorted.map((i) => i.token).join('')}`, 'utf8')
    .digest('hex')
}

/** RFC 3339 without fractional seconds (devices reject them): `2026-12-07T20:43:44Z`. */
export function rfc3339Seconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`
}

/**
 * SyncTokens for a host: the DeclarationsToken and, as Timestamp, the newest `created_at` of its
 * declarations (`now` when it has none).
 */
export function syncTokens(items: readonly TokenItem[], now: number): SyncTokens {
  const newest = items.reduce<number | undefined>(
    (max, i) => (max === undefined || i.createdAt > max ? i.createdAt : max),
    undefined,
  )
  return { DeclarationsToken: declarationsToken(items), Timestamp: rfc3339Seconds(newest ?? now) }
}
