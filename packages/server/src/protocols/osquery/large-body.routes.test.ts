import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { LARGE_BODY_BYTES } from './large-body-gate.js'

// Large osquery bodies: the node key is checked before the body is parsed (or, when it comes
// first, before the rest is read), and only osquery.max_concurrent_large_bodies are read at once.

const SECRET = 'large-body-secret'
const LOG = '/api/osquery/log'

/** `count` status lines, about `count` × 100 bytes of JSON. */
function statusLines(count: number): string {
  const line = JSON.stringify({
    severity: '0',
    filename: 'x.cpp',
    line: '1',
    message: 'm'.repeat(60),
  })
  return Array.from({ length: count }, () => line).join(',')
}

/** A log body in osquery's own order: the node key last (its TLS helper adds it after the rest). */
const keyLast = (nodeKey: string, data = `[${statusLines(2_000)}]`) =>
  `{"log_type":"status","data":${data},"node_key":${JSON.stringify(nodeKey)}}`
const keyFirst = (nodeKey: string, data = `[${statusLines(2_000)}]`) =>
  `{"node_key":${JSON.stringify(nodeKey)},"log_type":"status","data":${data}}`
/** Not JSON: a parser would answer 400, so a 401 shows the body was never parsed. */
const NOT_JSON = `[${statusLines(2_000)},,,oops`

describe.each(DIALECTS)('large osquery bodies [%s]', (dialect) => {
  let t: TestServer
  let nodeKey: string
  let port: number

  const post = (body: string, headers: Record<string, string> = {}) =>
    t.request('POST', LOG, { rawBody: body, headers })

  /** A raw HTTP request whose body is written by the test, piece by piece. */
  const open = (length: number, headers: Record<string, string> = {}) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: LOG,
      headers: { 'content-type': 'application/json', 'content-length': String(length), ...headers },
    })
    const response = new Promise<{ res: IncomingMessage; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ res, body }))
      })
      req.on('error', reject)
    })
    req.flushHeaders()
    return { req, response }
  }
  const written = (req: ClientRequest, chunk: string) =>
    new Promise<void>((resolve, reject) =>
      req.write(chunk, (err) => (err ? reject(err) : resolve())),
    )

  beforeAll(async () => {
    t = await startTestServer(dialect, { flags: { 'osquery.max_concurrent_large_bodies': '1' } })
    const admin = await t.setupAdmin()
    await t.request('POST', '/api/latest/fleet/spec/enroll_secret', {
      token: admin,
      body: { spec: { secrets: [{ secret: SECRET }] } },
    })
    const res = await t.request('POST', '/api/osquery/enroll', {
      body: fixtureBlock('ubuntu_22.04', 'enroll', {
        uuid: 'LARGE-BODY-1',
        hostname: 'big',
        enrollSecret: SECRET,
      }),
    })
    nodeKey = String(res.data().node_key)
    const address = await t.server.app.listen({ host: '127.0.0.1', port: 0 })
    port = Number(new URL(address).port)
  })
  afterAll(() => t.close())

  it('takes large bodies with a valid key, first or last, plain or gzip', async () => {
    expect(keyLast(nodeKey).length).toBeGreaterThan(LARGE_BODY_BYTES)
    for (const body of [keyLast(nodeKey), keyFirst(nodeKey)]) {
      expect((await post(body)).statusCode).toBe(200)
      const gzip = await t.server.app.inject({
        method: 'POST',
        url: LOG,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        payload: gzipSync(body),
      })
      expect(gzip.statusCode, gzip.body).toBe(200)
    }
  })

  it('refuses a wrong or missing key with node_invalid before parsing the body', async () => {
    for (const body of [keyLast('wrong', NOT_JSON), keyFirst('wrong', NOT_JSON)]) {
      const res = await post(body)
      expect(res.statusCode).toBe(401)
      expect(res.json()).toEqual({
        error: 'authentication error: invalid node key',
        node_invalid: true,
      })
    }
    const gzip = await t.server.app.inject({
      method: 'POST',
      url: LOG,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(keyLast('wrong', NOT_JSON)),
    })
    expect(gzip.statusCode).toBe(401)
    // A top-level key in the middle is found too; a body without one is refused as such.
    const middle = `{"log_type":"status","node_key":"wrong","data":${NOT_JSON}}`
    expect((await post(middle)).statusCode).toBe(401)
    const none = await post(`{"log_type":"status","data":[{"node_key":"${nodeKey}"},${NOT_JSON}}`)
    expect(none.statusCode).toBe(401)
    expect(none.json()).toMatchObject({ error: 'authentication error: missing node key' })
    // With a valid key the body is parsed, and its faults reported as before.
    expect((await post(keyLast(nodeKey, NOT_JSON))).statusCode).toBe(400)
  })

  it('answers a wrong key at the head before the rest of the body is sent', async () => {
    const head = keyFirst('wrong', '[').padEnd(2_000, ' ')
    const { req, response } = open(4 * 1024 * 1024)
    await written(req, head)
    const { res, body } = await response
    expect(res.statusCode).toBe(401)
    expect(res.headers.connection).toBe('close')
    expect(JSON.parse(body)).toMatchObject({ node_invalid: true })
    req.destroy()
  })

  it('reads only osquery.max_concurrent_large_bodies at once; more get 503 with Retry-After', async () => {
    const body = keyFirst(nodeKey)
    const first = open(Buffer.byteLength(body), { expect: '100-continue' })
    try {
      // The server has taken the request (and its slot) once it asks for the body.
      await new Promise((resolve) => first.req.once('continue', resolve))
      const busy = await post(keyLast(nodeKey))
      expect(busy.statusCode).toBe(503)
      expect(busy.headers['retry-after']).toBe('1')
      expect(busy.json()).toEqual({
        error: 'too many large request bodies at once; send it again later',
      })
      // Small bodies (every check-in) are not held back.
      expect(
        (await t.request('POST', '/api/osquery/config', { body: { node_key: nodeKey } }))
          .statusCode,
      ).toBe(200)

      first.req.end(body)
      expect((await first.response).res.statusCode).toBe(200)
    } finally {
      first.req.destroy()
    }
    expect((await post(keyLast(nodeKey))).statusCode).toBe(200)
  })
})
