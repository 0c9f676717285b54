import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import SockJS from 'sockjs-client'
import { waitFor } from '@fleet/test-support'
import { DIALECTS } from '../../test-utils/databases.js'
import { PREFIX, startLiveFixture, type LiveFixture } from '../../test-utils/live-query-fixture.js'
import { asRecord } from '../../test-utils/test-server.js'
import { MAX_UNAUTHENTICATED_PER_IP } from './live-queries.socket.js'

const TRANSPORTS = ['xhr-streaming', 'xhr-polling'] as const

/** `sockjs-client` (what Fleet's web UI uses) held to one transport, its messages recorded. */
class Client {
  readonly received: Record<string, unknown>[] = []
  readonly sock: WebSocket
  readonly opened: Promise<void>
  readonly closed: Promise<void>

  constructor(base: string, transport: string, version = 'v1') {
    this.sock = new SockJS(`${base}/api/${version}/fleet/results`, undefined, {
      transports: [transport],
    })
    this.opened = new Promise((resolve) => (this.sock.onopen = () => resolve()))
    this.closed = new Promise((resolve) => (this.sock.onclose = () => resolve()))
    this.sock.onmessage = (event: { data: string }) =>
      this.received.push(asRecord(JSON.parse(event.data)))
  }

  send(message: unknown): void {
    this.sock.send(JSON.stringify(message))
  }

  /** The transport sockjs-client settled on (it must not have fallen back to another). */
  transport(): string {
    return String((this.sock as unknown as { transport: string }).transport)
  }
}

describe.each(DIALECTS)('SockJS live query results over HTTP transports [%s]', (dialect) => {
  let f: LiveFixture
  let base: string
  const clients: Client[] = []

  beforeAll(async () => {
    f = await startLiveFixture(dialect)
    base = await f.t.server.app.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    for (const client of clients) {
      client.sock.close()
    }
    await Promise.all(clients.map((client) => client.closed))
    await f.t.close()
  })

  const connect = async (transport: string, version?: string) => {
    const client = new Client(base, transport, version)
    clients.push(client)
    await client.opened
    expect(client.transport()).toBe(transport)
    return client
  }

  it.each(TRANSPORTS)('streams a campaign to sockjs-client over %s', async (transport) => {
    const { h1 } = f.hosts
    const res = await f.run(f.admin, { query: 'SELECT 1 AS one', selected: { hosts: [h1.id] } })
    const id = Number(asRecord(res.data().campaign).id)
    const client = await connect(transport)
    client.send({ type: 'auth', data: { token: f.admin } })
    client.send({ type: 'select_campaign', data: { campaign_id: id } })
    await waitFor('the host to be asked', async () => (await f.liveQueries(h1))[id] !== undefined)
    await f.answer(h1, { [`${PREFIX}${id}`]: [{ one: '1' }] })
    await waitFor('the result', () => client.received.some((m) => m.type === 'result'))
    const result = client.received.find((m) => m.type === 'result')
    expect(asRecord(result?.data).rows).toEqual([
      { one: '1', host_hostname: h1.hostname, host_display_name: h1.hostname },
    ])
    expect(client.received.map((m) => m.type)).toEqual(expect.arrayContaining(['totals', 'status']))
    client.sock.close()
    await client.closed
  })

  it.each(TRANSPORTS)('refuses a bad token over %s and closes the session', async (transport) => {
    const client = await connect(transport, 'latest')
    client.send({ type: 'auth', data: { token: 'nope' } })
    await client.closed
    expect(client.received).toEqual([{ type: 'error', data: 'unauthorized' }])
  })

  it('caps unauthenticated sessions per address as the websocket path does', async () => {
    const waiting: Client[] = []
    for (let i = 0; i < MAX_UNAUTHENTICATED_PER_IP; i++) {
      waiting.push(await connect(i % 2 === 0 ? 'xhr-polling' : 'xhr-streaming'))
    }
    const refused = await connect('xhr-polling')
    await refused.closed
    expect(refused.received).toEqual([
      { type: 'error', data: 'too many unauthenticated connections' },
    ])
    for (const client of waiting) {
      client.sock.close()
    }
    await Promise.all(waiting.map((client) => client.closed))
  })
})

describe('SockJS xhr_send: bad input', () => {
  let f: LiveFixture
  let base: string

  beforeAll(async () => {
    f = await startLiveFixture('sqlite')
    base = await f.t.server.app.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await f.t.close()
  })

  const post = (path: string, body?: string) =>
    fetch(`${base}/api/v1/fleet/results/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body,
    })

  it('answers 404 for a session that does not exist or a malformed path', async () => {
    expect((await post('1/nosuchsession/xhr_send', '["x"]')).status).toBe(404)
    expect((await post('1/a.b/xhr', '')).status).toBe(404)
  })

  it('refuses an empty or broken frame with SockJS errors, and ends nothing else', async () => {
    const opened = await post('1/badframes/xhr')
    expect(await opened.text()).toBe('o\n')
    const empty = await post('1/badframes/xhr_send')
    expect([empty.status, await empty.text()]).toEqual([500, 'Payload expected.'])
    const broken = await post('1/badframes/xhr_send', '{"not":"sockjs"}')
    expect([broken.status, await broken.text()]).toEqual([500, 'Broken JSON encoding.'])
    const auth = JSON.stringify([JSON.stringify({ type: 'auth', data: { token: 'nope' } })])
    expect((await post('1/badframes/xhr_send', auth)).status).toBe(204)
    const answer = await post('1/badframes/xhr')
    expect(await answer.text()).toBe(
      'a["{\\"type\\":\\"error\\",\\"data\\":\\"unauthorized\\"}"]\n',
    )
    const closing = await post('1/badframes/xhr')
    expect(await closing.text()).toBe('c[3000,"Go away!"]\n')
  })

  it('leaves an xhr-streaming response open for the server to end when it stops', async () => {
    const res = await post('1/left-open/xhr_streaming')
    const reader = res.body?.getReader()
    let text = ''
    while (!text.endsWith('o\n')) {
      const chunk = await reader?.read()
      text += new TextDecoder().decode(chunk?.value)
    }
    expect(text).toBe(`${'h'.repeat(2048)}\no\n`)
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=UTF-8')
    // afterAll's close must not wait on this response.
  })

  it('tells a second receiving request that another is still open', async () => {
    const opened = await post('1/twice/xhr')
    expect(await opened.text()).toBe('o\n')
    const first = post('1/twice/xhr')
    const second = await post('1/twice/xhr')
    expect(await second.text()).toBe('c[2010,"Another connection still open"]\n')
    const auth = JSON.stringify([JSON.stringify({ type: 'auth', data: { token: 'nope' } })])
    await post('1/twice/xhr_send', auth)
    expect(await (await first).text()).toContain('unauthorized')
  })
})
