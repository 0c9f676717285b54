import { defineEndpoint } from '@fleet/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import {
  AuthRequiredError,
  ConflictError,
  InternalError,
  InvalidArgumentError,
  UnavailableError,
} from '../errors/index.js'
import { createAuthorizer } from '../authz/index.js'
import { silentLogger } from '../logger.js'
import { createHttpApp } from './app.js'
import { registerEndpoint } from './endpoint-route.js'

describe('HTTP errors', () => {
  let t: TestServer
  let token: string
  beforeAll(async () => {
    t = await startTestServer('sqlite', { flags: { 'server.max_body_bytes': '2048' } })
    token = await t.setupAdmin()
  })
  afterAll(() => t.close())

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await t.request('POST', '/api/latest/fleet/teams', {
      token,
      rawBody: '{"name": "x",',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'MALFORMED_JSON', errors: [{ name: 'body' }] })
  })

  it('answers an oversized body with 413', async () => {
    const res = await t.request('POST', '/api/latest/fleet/teams', {
      token,
      body: { name: 'x'.repeat(5000) },
    })
    expect(res.statusCode).toBe(413)
    expect(res.data().code).toBe('BODY_TOO_LARGE')
  })

  it('answers an unsupported content type with 415', async () => {
    const res = await t.request('POST', '/api/latest/fleet/teams', {
      token,
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.statusCode).toBe(415)
  })

  it('answers wrong types with 400 naming the field', async () => {
    const res = await t.request('POST', '/api/latest/fleet/teams', { token, body: { name: 42 } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ message: 'Bad request', errors: [{ name: 'name' }] })
  })

  it('answers a bad path id with 400', async () => {
    const res = await t.request('GET', '/api/latest/fleet/teams/abc', { token })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ errors: [{ name: 'id' }] })
  })

  it('answers unknown routes with Fleet-shaped 404', async () => {
    const res = await t.request('GET', '/api/latest/fleet/nope', { token })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ message: 'Resource Not Found', code: 'ROUTE_NOT_FOUND' })
  })

  it('requires a bearer token (401) and rejects a bogus one', async () => {
    expect((await t.request('GET', '/api/latest/fleet/me')).statusCode).toBe(401)
    const bogus = await t.request('GET', '/api/latest/fleet/me', { token: 'not-a-token' })
    expect(bogus.statusCode).toBe(401)
    expect(bogus.data().code).toBe('AUTH_REQUIRED')
  })

  it('refuses a route that never authorized (backstop), and hides internal errors', async () => {
    const app = createHttpApp({
      log: silentLogger(),
      authorizer: createAuthorizer({}),
      bodyLimit: 1024,
      trustProxy: false,
    })
    const r = { app, authenticate: () => Promise.resolve(undefined), validateResponses: false }
    const forgetful = defineEndpoint({
      method: 'GET',
      path: '/forgetful',
      mount: 'fleet',
      tag: 'Test',
      summary: 'no authz',
      auth: 'public',
      response: z.object({ secret: z.string() }),
    })
    const broken = defineEndpoint({
      method: 'GET',
      path: '/broken',
      mount: 'fleet',
      tag: 'Test',
      summary: 'throws',
      auth: 'public',
      response: z.object({}),
    })
    registerEndpoint(r, forgetful, () => Promise.resolve({ secret: 'leaked' }))
    registerEndpoint(r, broken, () =>
      Promise.reject(
        new InternalError('doing a thing', { cause: new Error('db password is hunter2') }),
      ),
    )
    const res = await app.inject({ method: 'GET', url: '/api/latest/fleet/forgetful' })
    expect(res.statusCode).toBe(403)
    expect(res.body).not.toContain('leaked')
    const boom = await app.inject({ method: 'GET', url: '/api/v1/fleet/broken' })
    expect(boom.statusCode).toBe(500)
    expect(boom.json()).toMatchObject({ message: 'Unknown Error', code: 'INTERNAL' })
    expect(boom.body).not.toContain('hunter2')
    expect(boom.body).not.toContain('doing a thing')
    await app.close()
  })

  it("renders the same errors in osquery's {error, node_invalid} shape on routes that ask for it", async () => {
    const app = createHttpApp({
      log: silentLogger(),
      authorizer: createAuthorizer({}),
      bodyLimit: 1024,
      trustProxy: false,
    })
    const failures: Record<string, Error> = {
      auth: new AuthRequiredError('authentication error: invalid node key'),
      field: InvalidArgumentError.field('log_type', 'Invalid option'),
      base: InvalidArgumentError.field('base', 'unknown carve session'),
      conflict: new ConflictError('in use'),
      busy: new UnavailableError('send the logs again later'),
      internal: new InternalError('doing a thing', { cause: new Error('hunter2') }),
      bug: new Error('hunter2'),
    }
    for (const [name, err] of Object.entries(failures)) {
      app.post(`/osquery/${name}`, { config: { errorShape: 'osquery' } }, () => Promise.reject(err))
      app.post(`/fleet/${name}`, () => Promise.reject(err))
    }
    const post = async (url: string) => {
      const res = await app.inject({ method: 'POST', url, payload: {} })
      return [res.statusCode, res.json()]
    }
    expect(await post('/osquery/auth')).toEqual([
      401,
      { error: 'authentication error: invalid node key', node_invalid: true },
    ])
    expect(await post('/osquery/field')).toEqual([
      400,
      { error: 'invalid request: log_type: Invalid option' },
    ])
    expect(await post('/osquery/base')).toEqual([400, { error: 'unknown carve session' }])
    expect(await post('/osquery/conflict')).toEqual([409, { error: 'in use' }])
    expect(await post('/osquery/busy')).toEqual([503, { error: 'send the logs again later' }])
    expect(await post('/osquery/internal')).toEqual([500, { error: 'internal error' }])
    expect(await post('/osquery/bug')).toEqual([500, { error: 'internal error' }])
    const malformed = await app.inject({
      method: 'POST',
      url: '/osquery/bug',
      headers: { 'content-type': 'application/json' },
      payload: '{"node_key":',
    })
    expect([malformed.statusCode, malformed.json()]).toEqual([
      400,
      { error: 'invalid request body' },
    ])
    // The same errors elsewhere are Fleet's body.
    expect(await post('/fleet/auth')).toEqual([
      401,
      {
        message: 'Authentication required',
        code: 'AUTH_REQUIRED',
        errors: [{ name: 'base', reason: 'authentication error: invalid node key' }],
      },
    ])
    expect(await post('/fleet/busy')).toMatchObject([503, { code: 'UNAVAILABLE' }])
    await app.close()
  })
})
