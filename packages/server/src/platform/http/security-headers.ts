/**
 * Headers every response carries. `Cache-Control: no-store` keeps API answers (hosts, users,
 * enroll secrets) out of shared and browser caches; `Referrer-Policy: no-referrer` keeps the
 * device token in `/device/{token}` URLs from leaking to linked sites; HSTS is sent only when this
 * server terminates TLS itself (behind a TLS-terminating proxy, the proxy decides).
 */
export function securityHeaders(options: { tls: boolean }): {
  all: Record<string, string>
  api: Record<string, string>
} {
  const all: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    ...(options.tls ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  }
  return { all, api: { ...all, 'cache-control': 'no-store' } }
}

/**
 * TLS settings for the HTTPS server: TLS 1.2 and 1.3 only, and for TLS 1.2 only forward-secret
 * AEAD suites (Mozilla's "intermediate" list without DHE) — no CBC or SHA-1 suites. osquery,
 * orbit, fleetctl and current browsers all negotiate these.
 */
export const TLS_SERVER_OPTIONS = {
  minVersion: 'TLSv1.2',
  ciphers: [
    'TLS_AES_128_GCM_SHA256',
    'TLS_AES_256_GCM_SHA384',
    'TLS_CHACHA20_POLY1305_SHA256',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
  ].join(':'),
  honorCipherOrder: true,
} as const
