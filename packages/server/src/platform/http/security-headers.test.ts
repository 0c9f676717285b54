import { mkdtempSync } from 'node:fs'
import { get } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { createAuthorizer } from '../authz/index.js'
import { silentLogger } from '../logger.js'
import { createHttpApp } from './app.js'
import { loadOrCreateTls } from './tls.js'

describe('security headers', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer('sqlite')
  })
  afterAll(() => t.close())

  it('keeps API answers out of caches and frames, even errors', async () => {
    for (const url of ['/api/latest/fleet/config', '/api/osquery/config', '/api/v1/fleet/nope']) {
      const res = await t.request(url.includes('osquery') ? 'POST' : 'GET', url)
      expect(res.statusCode).toBeGreaterThanOrEqual(400)
      expect(res.headers).toMatchObject({
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      })
      // Plain HTTP (a proxy terminates TLS): no HSTS from us.
      expect(res.headers['strict-transport-security']).toBeUndefined()
    }
  })

  it('lets pages outside the API be cached', async () => {
    const res = await t.request('GET', '/healthz')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['cache-control']).toBeUndefined()
  })
})

describe('HTTPS server', () => {
  let port = 0
  let httpsApp: ReturnType<typeof createHttpApp> | undefined

  beforeAll(async () => {
    const tls = await loadOrCreateTls({
      certPath: '',
      keyPath: '',
      dataDir: mkdtempSync(join(tmpdir(), 'fleet-https-')),
    })
    httpsApp = createHttpApp({
      log: silentLogger(),
      authorizer: createAuthorizer({}),
      bodyLimit: 1024,
      trustProxy: false,
      https: { key: tls.key, cert: tls.cert },
    })
    httpsApp.get('/api/ping', async () => ({ ok: true }))
    const address = await httpsApp.listen({ host: '127.0.0.1', port: 0 })
    port = Number(new URL(address).port)
  })
  afterAll(async () => {
    await httpsApp?.close()
  })

  const handshake = (options: { maxVersion?: 'TLSv1.2' | 'TLSv1.1'; ciphers?: string }) =>
    new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options })
      socket.once('secureConnect', () => {
        const cipher = socket.getCipher().standardName
        socket.destroy()
        resolve(cipher)
      })
      socket.once('error', (err) => resolve(`refused: ${err.message}`))
    })

  it('offers only forward-secret AEAD suites on TLS 1.2, and nothing older', async () => {
    expect(await handshake({ maxVersion: 'TLSv1.2' })).toMatch(
      /^TLS_ECDHE_ECDSA_WITH_.*(GCM|POLY1305)/,
    )
    expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' })).toMatch(
      /^refused/,
    )
    expect(
      await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-SHA384' }),
    ).toMatch(/^refused/)
    expect(await handshake({ maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })).toMatch(
      /^refused/,
    )
  })

  it('sends HSTS when it terminates TLS itself', async () => {
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/api/ping', rejectUnauthorized: false }, (res) => {
        res.resume()
        resolve(res.headers)
      }).once('error', reject)
    })
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains')
    expect(headers['cache-control']).toBe('no-store')
  })
})
