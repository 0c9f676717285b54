import {
  ErrorCode,
  getConfig,
  getTeam,
  listTeams,
  login,
  logout,
  modifyTeamAgentOptions,
  setup,
} from '@fleet/api'
import { afterEach, describe, expect, it } from 'vitest'
import { FleetApiError, FleetConnectionError, FleetResponseError } from './errors.js'
import { FleetClient } from './fleet-client.js'
import { teamFixture, userFixture } from './test-utils/fixtures.js'
import { TEST_CA_PEM } from './test-utils/test-pki.js'
import {
  startTestServer,
  type Reply,
  type SeenRequest,
  type TestServer,
} from './test-utils/test-server.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()))
})

async function serve(
  handler: (req: SeenRequest) => Reply,
  opts: { tls?: boolean } = {},
): Promise<TestServer> {
  const server = await startTestServer(handler, opts)
  cleanups.push(() => server.close())
  return server
}

function client(opts: ConstructorParameters<typeof FleetClient>[0]): FleetClient {
  const c = new FleetClient(opts)
  cleanups.push(() => c.close())
  return c
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected the promise to reject')
}

describe('FleetClient.call', () => {
  it('fills path params, sends the bearer token and parses the typed response', async () => {
    const server = await serve(() => ({ status: 200, body: { team: teamFixture({ id: 7 }) } }))
    const c = client({ address: server.url, token: 'tok-1' })

    const res = await c.call(getTeam, { params: { id: 7 } })

    expect(res.team.id).toBe(7)
    expect(server.requests[0]).toMatchObject({
      method: 'GET',
      url: '/api/latest/fleet/teams/7',
      headers: { authorization: 'Bearer tok-1', accept: 'application/json' },
    })
  })

  it('encodes the query string and leaves out undefined values', async () => {
    const server = await serve(() => ({ status: 200, body: { teams: [] } }))
    const c = client({ address: `${server.url}/` })

    await c.call(listTeams, { query: { query: 'a b&c', page: 2, per_page: undefined } })
    await c.call(listTeams)

    expect(server.requests.map((r) => r.url)).toEqual([
      '/api/latest/fleet/teams?query=a+b%26c&page=2',
      '/api/latest/fleet/teams',
    ])
    expect(server.requests[1]?.headers.authorization).toBeUndefined()
  })

  it('sends JSON bodies with a content type', async () => {
    const server = await serve(() => ({
      status: 200,
      body: { user: userFixture(), available_teams: [], token: 'new-token' },
    }))
    const c = client({ address: server.url })

    const res = await c.call(login, { body: { email: 'a@example.com', password: 'pw' } })

    expect(res.token).toBe('new-token')
    expect(server.requests[0]?.method).toBe('POST')
    expect(server.requests[0]?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      email: 'a@example.com',
      password: 'pw',
    })
  })

  it('posts setup to /api/v1/setup, where Fleet serves it', async () => {
    const server = await serve(() => ({ status: 404, body: { message: 'nope', errors: [] } }))
    const c = client({ address: server.url })
    await rejection(
      c.call(setup, {
        body: { admin: { email: 'a@b.co', name: 'A', password: 'x' }, org_info: { org_name: 'O' } },
      }),
    )
    expect(server.requests[0]?.url).toBe('/api/v1/setup')
  })

  it('puts the url prefix between the address and /api', async () => {
    const server = await serve(() => ({ status: 200, body: {} }))
    const c = client({ address: server.url, urlPrefix: 'fleet/', token: 't' })
    await c.call(logout)
    expect(server.requests[0]?.url).toBe('/fleet/api/latest/fleet/logout')
  })

  it('passes string query flags through unchanged', async () => {
    const server = await serve(() => ({ status: 200, body: { team: teamFixture() } }))
    const c = client({ address: server.url, token: 't' })
    await c.call(modifyTeamAgentOptions, {
      params: { id: 3 },
      query: { dry_run: 'true' },
      body: { config: {} },
    })
    expect(server.requests[0]?.url).toBe('/api/latest/fleet/teams/3/agent_options?dry_run=true')
  })

  it('treats an empty 2xx body as {}', async () => {
    const server = await serve(() => ({ status: 204 }))
    const c = client({ address: server.url, token: 't' })
    await expect(c.call(logout)).resolves.toEqual({})
  })
})

describe('errors', () => {
  it('throws FleetApiError with status, code, message and field errors', async () => {
    const server = await serve(() => ({
      status: 422,
      body: {
        message: 'Validation Failed',
        code: ErrorCode.VALIDATION_FAILED,
        errors: [{ name: 'name', reason: 'cannot be empty' }],
        uuid: 'u-1',
      },
    }))
    const c = client({ address: server.url, token: 't' })

    const err = await rejection(c.call(getTeam, { params: { id: 1 } }))

    expect(err).toBeInstanceOf(FleetApiError)
    expect(err).toMatchObject({
      status: 422,
      code: 'VALIDATION_FAILED',
      message: 'Validation Failed',
      errors: [{ name: 'name', reason: 'cannot be empty' }],
      uuid: 'u-1',
      method: 'GET',
      url: `${server.url}/api/latest/fleet/teams/1`,
    })
  })

  it('derives a code from the status for Fleet bodies without one', async () => {
    const server = await serve(() => ({
      status: 401,
      body: {
        message: 'Authentication required',
        errors: [{ name: 'base', reason: 'Authentication required' }],
      },
    }))
    const err = await rejection(client({ address: server.url }).call(getConfig))
    expect(err).toMatchObject({
      status: 401,
      code: 'AUTH_REQUIRED',
      message: 'Authentication required',
    })
  })

  it('uses the status text when the error body is not JSON', async () => {
    const server = await serve(() => ({ status: 502, body: '<html>bad gateway</html>' }))
    const err = await rejection(client({ address: server.url }).call(getConfig))
    expect(err).toMatchObject({ status: 502, code: 'INTERNAL', message: 'Bad Gateway', errors: [] })
  })

  it('throws FleetResponseError when a 2xx body breaks the contract', async () => {
    const server = await serve(() => ({ status: 200, body: { team: { id: 'seven' } } }))
    const err = await rejection(
      client({ address: server.url }).call(getTeam, { params: { id: 7 } }),
    )
    expect(err).toBeInstanceOf(FleetResponseError)
    expect(String(err)).toContain('team.id')
  })

  it('throws FleetResponseError when a 2xx body is not JSON', async () => {
    const server = await serve(() => ({ status: 200, body: 'hello' }))
    const err = await rejection(client({ address: server.url }).call(getConfig))
    expect(err).toBeInstanceOf(FleetResponseError)
    expect(String(err)).toContain('not JSON')
  })

  it('names the address when the connection is refused', async () => {
    const server = await startTestServer(() => ({ status: 200 }))
    const address = server.url
    await server.close()

    const err = await rejection(client({ address }).call(getConfig))

    expect(err).toBeInstanceOf(FleetConnectionError)
    expect(err).toMatchObject({ reason: 'refused', address })
    expect(String(err)).toContain(address)
  })

  it('rejects a malformed address up front', () => {
    expect(() => new FleetClient({ address: 'fleet.example.com' })).toThrow(/invalid Fleet address/)
    expect(() => new FleetClient({ address: 'ftp://fleet.example.com' })).toThrow(/https or http/)
  })
})

describe('TLS', () => {
  const ok = (): Reply => ({ status: 200, body: { teams: [] } })

  it('refuses a certificate it cannot verify, naming the address', async () => {
    const server = await serve(ok, { tls: true })
    const err = await rejection(client({ address: server.url }).call(listTeams))
    expect(err).toBeInstanceOf(FleetConnectionError)
    expect(err).toMatchObject({ reason: 'tls' })
    expect(String(err)).toContain(server.url)
  })

  it('trusts a server signed by the given root CA', async () => {
    const server = await serve(ok, { tls: true })
    const c = client({ address: server.url, rootCA: TEST_CA_PEM })
    await expect(c.call(listTeams)).resolves.toEqual({ teams: [] })
  })

  it('accepts any certificate with tlsSkipVerify', async () => {
    const server = await serve(ok, { tls: true })
    const c = client({ address: server.url, tlsSkipVerify: true })
    await expect(c.call(listTeams)).resolves.toEqual({ teams: [] })
  })
})

describe('withToken', () => {
  it('returns a client with the new token and leaves the original alone', async () => {
    const server = await serve(() => ({ status: 200, body: { teams: [] } }))
    const anonymous = client({ address: server.url })
    const authed = anonymous.withToken('tok-2')

    await authed.call(listTeams)
    await anonymous.call(listTeams)
    await authed.close() // shares the pool: a no-op that must not break the owner

    await anonymous.call(listTeams)
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-2',
      undefined,
      undefined,
    ])
    expect(authed.token).toBe('tok-2')
    expect(anonymous.token).toBeUndefined()
  })
})

describe('call types', () => {
  it('requires inputs only where the endpoint has required ones', () => {
    const c = new FleetClient({ address: 'https://fleet.example.com' })
    expect(c.url(listTeams)).toBe('https://fleet.example.com/api/latest/fleet/teams')
    expect(c.url(getTeam, { params: { id: 4 } })).toBe(
      'https://fleet.example.com/api/latest/fleet/teams/4',
    )
    // @ts-expect-error getTeam needs params
    expect(() => c.url(getTeam)).toThrow(/missing path parameter "id"/)
    // Never called: only the compiler looks at it.
    const needsBody = (): Promise<unknown> =>
      // @ts-expect-error login needs a body
      c.call(login)
    expect(needsBody).toBeTypeOf('function')
    return c.close()
  })
})
