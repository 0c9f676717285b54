import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** The built web console (packages/web's Vite output), read once into memory. */
export interface WebAssets {
  /** index.html: every console URL (`/hosts/12`) answers with it and the app routes itself. */
  index: Buffer
  /** Every other file by URL path (`/assets/index-3f2a.js`, `/favicon.svg`). */
  files: ReadonlyMap<string, { body: Buffer; type: string }>
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
}

/**
 * Paths the console never answers, so an unknown agent or API path stays a JSON 404 in Fleet's
 * error shape instead of an HTML page an agent would choke on.
 */
const NOT_CONSOLE = /^\/(api|mdm|healthz|version|metrics|debug|assets)(\/|$)/

/** Vite puts a content hash in every file under /assets/, so they never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * Reads the built console from `dir` (index.html and everything beside it). Undefined when it
 * has not been built, e.g. a server-only build: `/` then explains how to build it.
 */
export function loadWebAssets(dir: string): WebAssets | undefined {
  const indexPath = join(dir, 'index.html')
  if (!existsSync(indexPath)) {
    return undefined
  }
  const files = new Map<string, { body: Buffer; type: string }>()
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      // Build metadata (Vite's .vite/manifest.json) is not part of the site.
      if (name.startsWith('.')) {
        continue
      }
      const path = join(folder, name)
      if (statSync(path).isDirectory()) {
        walk(path)
      } else if (path !== indexPath) {
        const url = '/' + relative(dir, path).split(sep).join('/')
        const type = TYPES[extname(name)] ?? 'application/octet-stream'
        files.set(url, { body: readFileSync(path), type })
      }
    }
  }
  walk(dir)
  return { index: readFileSync(indexPath), files }
}

/**
 * The console's Content-Security-Policy: scripts, styles and connections from this origin only
 * (no inline script), and the websocket of live queries on the same host. Images may also come
 * from any https origin: Fleet lets admins point `org_info.org_logo_url` anywhere, and an image
 * cannot run code (plain http stays out: it would make the page mixed content).
 */
export function contentSecurityPolicy(host: string | undefined): string {
  // The Host header is echoed only when it is a plain host[:port], never arbitrary text.
  const sockets =
    host && /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/i.test(host)
      ? ` ws://${host} wss://${host}`
      : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Fleet</title>
<h1>Fleet</h1>
<p>The web console has not been built. Run <code>npm run build</code>, then restart <code>fleet serve</code>.
Meanwhile, manage this server with <code>fleetctl</code>.</p>
<p>API reference: <a href="/api/latest/fleet/openapi.json">/api/latest/fleet/openapi.json</a></p></html>`

/**
 * Where a console page request goes first, as Fleet's server redirects: to `/setup` while the
 * server has no user, and away from `/setup` (to `/login`) once it has one.
 */
export function setupRedirect(path: string, setupRequired: boolean): string | undefined {
  const onSetup = path === '/setup' || path === '/setup/'
  if (setupRequired && !onSetup) {
    return '/setup'
  }
  if (!setupRequired && onSetup) {
    return '/login'
  }
  return undefined
}

/**
 * Serves the console at `/`: hashed assets cached for a year, and index.html (uncached, with the
 * CSP) for every other GET that no route answers, so deep links load the app. Paths under the API,
 * agent and MDM prefixes are left to the JSON 404. `setupRequired` answers whether the server
 * still has no user; once it says no, it is not asked again.
 */
export function registerWebApp(
  app: FastifyInstance,
  assets: WebAssets | undefined,
  setupRequired: () => Promise<boolean>,
): void {
  let setUp = false
  const needsSetup = async () => {
    setUp ||= !(await setupRequired())
    return !setUp
  }
  const sendIndex = (request: FastifyRequest, reply: FastifyReply) =>
    reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', contentSecurityPolicy(request.headers.host))
      .type('text/html; charset=utf-8')
      .send(assets?.index ?? NOT_BUILT)

  app.get('/*', async (request, reply) => {
    const path = decodePath(request.url)
    const file = path === undefined ? undefined : assets?.files.get(path)
    if (file) {
      return reply
        .header('cache-control', path?.startsWith('/assets/') ? IMMUTABLE : 'no-cache')
        .type(file.type)
        .send(file.body)
    }
    if (path === undefined || NOT_CONSOLE.test(path)) {
      return reply.callNotFound()
    }
    const redirect = setupRedirect(path, await needsSetup())
    if (redirect) {
      return reply.header('cache-control', 'no-store').redirect(redirect, 302)
    }
    return sendIndex(request, reply)
  })
}

function decodePath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split('?')[0] ?? '')
  } catch {
    return undefined
  }
}
