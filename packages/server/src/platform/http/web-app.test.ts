import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { contentSecurityPolicy } from './web-app.js'

const INDEX = '<!doctype html><title>Fleet</title><script type="module" src="/assets/app-3f2a.js">'

/** A stand-in for packages/web's build output. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-web-'))
  mkdirSync(join(dir, 'assets'))
  mkdirSync(join(dir, '.vite'))
  writeFileSync(join(dir, 'index.html'), INDEX)
  writeFileSync(join(dir, 'assets', 'app-3f2a.js'), 'console.log(1)')
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>')
  writeFileSync(join(dir, '.vite', 'manifest.json'), '{"secret":"build metadata"}')
  return dir
}

describe.each(DIALECTS)('web console [%s]', (dialect) => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer(dialect, { webRoot: fakeBuild() })
  })
  afterAll(() => t.close())

  it('sends every page to /setup while the server has no user', async () => {
    for (const url of ['/', '/login', '/hosts/12', '/dashboard?team_id=2']) {
      const res = await t.request('GET', url)
      expect(res.statusCode, url).toBe(302)
      expect(res.headers.location).toBe('/setup')
    }
    const setup = await t.request('GET', '/setup')
    expect(setup.statusCode).toBe(200)
    expect(setup.body).toBe(INDEX)
  })

  it('serves index.html for deep links once set up, uncached, with a strict CSP', async () => {
    await t.setupAdmin()
    expect((await t.request('GET', '/setup')).headers.location).toBe('/login')
    for (const url of ['/', '/login', '/hosts/12', '/hosts/manage?status=online', '/device/abc']) {
      const res = await t.request('GET', url, { headers: { host: 'fleet.example.com:8080' } })
      expect(res.statusCode, url).toBe(200)
      expect(res.body).toBe(INDEX)
      expect(res.headers).toMatchObject({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      })
      const csp = String(res.headers['content-security-policy'])
      expect(csp).toContain("script-src 'self';")
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).toContain(
        "connect-src 'self' ws://fleet.example.com:8080 wss://fleet.example.com:8080",
      )
      expect(csp).toContain("frame-ancestors 'none'")
      // An org logo on any https origin (org_info.org_logo_url) loads; nothing else widens.
      expect(csp).toContain("img-src 'self' data: https:;")
      expect(csp).toContain("default-src 'self';")
    }
  })

  it('caches hashed assets for a year and the rest not at all', async () => {
    const asset = await t.request('GET', '/assets/app-3f2a.js')
    expect(asset.statusCode).toBe(200)
    expect(asset.body).toBe('console.log(1)')
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const icon = await t.request('GET', '/favicon.svg')
    expect(icon.headers['content-type']).toBe('image/svg+xml')
    expect(icon.headers['cache-control']).toBe('no-cache')
  })

  it('leaves API, agent and missing asset paths to the JSON 404', async () => {
    const misses: [string, string][] = [
      ['GET', '/api/latest/fleet/nope'],
      ['GET', '/api/v1/fleet/hosts/12/nope'],
      ['GET', '/api/osquery/nope'],
      ['GET', '/api/fleet/orbit/nope'],
      ['GET', '/mdm/apple/nope'],
      ['GET', '/assets/missing-1234.js'],
      ['POST', '/hosts/12'],
    ]
    for (const [method, url] of misses) {
      const res = await t.request(method === 'GET' ? 'GET' : 'POST', url)
      expect(res.statusCode, url).toBe(404)
      expect(res.json(), url).toMatchObject({ code: 'ROUTE_NOT_FOUND' })
    }
  })

  it('does not publish build metadata', async () => {
    const res = await t.request('GET', '/.vite/manifest.json')
    expect(res.body).not.toContain('build metadata')
  })
})

describe('web console not built', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer('sqlite')
    await t.setupAdmin()
  })
  afterAll(() => t.close())

  it('says how to build it instead of failing', async () => {
    const res = await t.request('GET', '/')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('npm run build')
  })
})

describe('contentSecurityPolicy', () => {
  it('allows images, and only images, from any https origin', () => {
    const directives = contentSecurityPolicy('fleet.example.com').split('; ')
    expect(directives.filter((d) => d.includes('https:'))).toEqual(["img-src 'self' data: https:"])
    expect(directives.some((d) => /\bhttp:/.test(d))).toBe(false)
  })

  it('echoes only a plain host into connect-src', () => {
    expect(contentSecurityPolicy('[::1]:8080')).toContain('ws://[::1]:8080 wss://[::1]:8080')
    expect(contentSecurityPolicy("evil.com; script-src 'unsafe-inline'")).toContain(
      "connect-src 'self';",
    )
    expect(contentSecurityPolicy(undefined)).toContain("connect-src 'self';")
  })
})
