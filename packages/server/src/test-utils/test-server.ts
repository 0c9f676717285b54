import type { Role } from '@fleet/api'
import type { InjectOptions } from 'fastify'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../config/index.js'
import type { Deps } from '../deps.js'
import type { Clock } from '../platform/clock.js'
import type { Dialect } from '../platform/db/index.js'
import { silentLogger, type Logger } from '../platform/logger.js'
import { MemoryPubSub, type PubSub } from '../platform/pubsub/index.js'
import { buildServer, type FleetServer } from '../server.js'
import { createTestDatabase, type TestDatabase } from './databases.js'

export const ADMIN = { email: 'admin@example.com', name: 'Admin', password: 'admin-password-1!' }
export const PASSWORD = 'user-password-12!'

export interface ApiResponse {
  statusCode: number
  headers: Record<string, unknown>
  body: string
  json(): unknown
  /** The parsed body as a record (tests read fields from it). */
  data(): Record<string, unknown>
}

/** A settable clock for tests that move time (session expiry, rate limits). */
export class TestClock implements Clock {
  /** Starts a minute ahead of real time, after anything a migration stamped with the real clock. */
  ms = Math.floor(Date.now() / 1000) * 1000 + 60_000
  now(): Date {
    return new Date(this.ms)
  }
  advance(ms: number): void {
    this.ms += ms
  }
}

export interface TestServer {
  server: FleetServer
  database: TestDatabase
  deps: Deps
  clock: TestClock
  request(
    method: InjectOptions['method'],
    url: string,
    options?: {
      body?: unknown
      token?: string
      headers?: Record<string, string>
      rawBody?: string
    },
  ): Promise<ApiResponse>
  /** Runs setup and returns the admin's token. */
  setupAdmin(): Promise<string>
  /** Creates a user through the API as `adminToken` and logs in; returns id and token. */
  createUser(
    adminToken: string,
    user: {
      email: string
      globalRole?: Role | null
      teams?: { id: number; role: Role }[]
      apiOnly?: boolean
    },
  ): Promise<{ id: number; token: string }>
  close(): Promise<void>
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : {}
}

/**
 * A full server on a fresh database of `dialect`, driven in-process with fastify's inject. Every
 * response is checked against its contract schema.
 */
export async function startTestServer(
  dialect: Dialect = 'sqlite',
  options: {
    pubsub?: PubSub
    flags?: Record<string, string>
    log?: Logger
    /** The built web console to serve; none by default (`/` then says it is not built). */
    webRoot?: string
  } = {},
): Promise<TestServer> {
  const database = await createTestDatabase(dialect)
  const config = loadConfig({
    env: {},
    flags: {
      data_dir: mkdtempSync(join(tmpdir(), 'fleet-data-')),
      'auth.scrypt_cost': '10',
      'server.tls': 'false',
      ...options.flags,
    },
  })
  const clock = new TestClock()
  const deps: Deps = {
    db: database.db,
    config,
    clock,
    log: options.log ?? silentLogger(),
    pubsub: options.pubsub ?? new MemoryPubSub(),
  }
  const server = await buildServer(deps, {
    validateResponses: true,
    webRoot: options.webRoot ?? join(config.data_dir, 'no-web-console'),
  })

  const request: TestServer['request'] = async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.token) {
      headers.authorization = `Bearer ${opts.token}`
    }
    let payload: string | undefined = opts.rawBody
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body)
      headers['content-type'] ??= 'application/json'
    }
    if (payload !== undefined) {
      headers['content-type'] ??= 'application/json'
    }
    const res = await server.app.inject({ method, url, headers, payload })
    return {
      statusCode: res.statusCode,
      headers: res.headers,
      body: res.body,
      json: () => res.json(),
      data: () => asRecord(res.json()),
    }
  }

  const login = async (email: string, password: string): Promise<string> => {
    const res = await request('POST', '/api/latest/fleet/login', { body: { email, password } })
    const token = res.data().token
    if (res.statusCode !== 200 || typeof token !== 'string') {
      throw new Error(`login failed: ${res.statusCode} ${res.body}`)
    }
    return token
  }

  return {
    server,
    database,
    deps,
    clock,
    request,
    setupAdmin: async () => {
      const res = await request('POST', '/api/v1/setup', {
        body: {
          admin: { ...ADMIN, admin: true, password_confirmation: ADMIN.password },
          org_info: { org_name: 'Acme' },
          server_url: 'https://fleet.example.com',
        },
      })
      const token = res.data().token
      if (res.statusCode !== 200 || typeof token !== 'string') {
        throw new Error(`setup failed: ${res.statusCode} ${res.body}`)
      }
      return token
    },
    createUser: async (adminToken, user) => {
      const res = await request('POST', '/api/latest/fleet/users/admin', {
        token: adminToken,
        body: {
          name: user.email.split('@')[0],
          email: user.email,
          password: PASSWORD,
          global_role: user.globalRole ?? null,
          teams: user.teams ?? [],
          api_only: user.apiOnly ?? false,
        },
      })
      const created = asRecord(res.data().user)
      if (res.statusCode !== 200 || typeof created.id !== 'number') {
        throw new Error(`create user failed: ${res.statusCode} ${res.body}`)
      }
      const apiToken = res.data().token
      return {
        id: created.id,
        token: typeof apiToken === 'string' ? apiToken : await login(user.email, PASSWORD),
      }
    },
    close: async () => {
      await server.close()
      await database.drop()
    },
  }
}

export { asRecord }

/**
 * Another server instance on the test server's database and the given pub/sub (the one the test
 * server was started with), as a second `fleet serve` behind a load balancer. The caller closes it.
 */
export function buildSecondInstance(t: TestServer, pubsub: PubSub): Promise<FleetServer> {
  const config = loadConfig({
    env: {},
    flags: { 'server.tls': 'false', 'auth.scrypt_cost': '10' },
  })
  return buildServer({ ...t.deps, config, pubsub })
}
