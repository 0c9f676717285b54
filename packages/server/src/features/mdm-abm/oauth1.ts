import { createHmac, randomBytes } from 'node:crypto'
import type { AbmCredentials } from './abm-token-file.js'

/** RFC 3986 percent-encoding, as OAuth 1.0a (RFC 5849 §3.6) requires. */
export function oauthEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/**
 * RFC 5849's signature base string: method, the URL without query, and the sorted, encoded
 * parameters (the oauth_* ones and the query's).
 */
export function signatureBaseString(
  method: string,
  url: URL,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const all = [...params, ...url.searchParams.entries()]
    .map(([k, v]) => [oauthEncode(k), oauthEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  const base = `${url.protocol}//${url.host}${url.pathname}`
  return [method.toUpperCase(), oauthEncode(base), oauthEncode(all)].join('&')
}

/** HMAC-SHA1 of the base string with `consumer_secret&access_secret`, base64. */
export function hmacSha1Signature(
  base: string,
  consumerSecret: string,
  tokenSecret: string,
): string {
  const key = `${oauthEncode(consumerSecret)}&${oauthEncode(tokenSecret)}`
  return createHmac('sha1', key).update(base).digest('base64')
}

/** The parameters of an OAuth Authorization header (`OAuth k="v", …`), or undefined. */
export function parseOAuthHeader(header: string): Map<string, string> | undefined {
  if (!/^OAuth\s/i.test(header)) {
    return undefined
  }
  const params = new Map<string, string>()
  for (const match of header.slice(6).matchAll(/([\w-]+)="([^"]*)"/g)) {
    params.set(match[1] ?? '', decodeURIComponent(match[2] ?? ''))
  }
  return params
}

/**
 * The `Authorization` header ABM's `GET /session` wants: OAuth 1.0a, realm "ADM", HMAC-SHA1 over
 * the request with the token's consumer key/secret and access token/secret.
 */
export function oauthAuthorization(
  method: string,
  url: URL,
  credentials: AbmCredentials,
  now: Date,
  nonce = randomBytes(16).toString('hex'),
): string {
  const params: [string, string][] = [
    ['oauth_consumer_key', credentials.consumerKey],
    ['oauth_token', credentials.accessToken],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(Math.floor(now.getTime() / 1000))],
    ['oauth_nonce', nonce],
    ['oauth_version', '1.0'],
  ]
  const signature = hmacSha1Signature(
    signatureBaseString(method, url, params),
    credentials.consumerSecret,
    credentials.accessSecret,
  )
  const fields = [['realm', 'ADM'] as const, ...params, ['oauth_signature', signature] as const]
  return `OAuth ${fields.map(([k, v]) => `${k}="${oauthEncode(v)}"`).join(', ')}`
}
