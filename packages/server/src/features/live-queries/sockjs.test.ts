import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import SockJS from 'sockjs-client'
import WebSocket from 'ws'
import { waitFor } from '@fleet/test-support'
import { DIALECTS } from '../../test-utils/databases.js'
import { PREFIX, startLiveFixture, type LiveFixture } from '../../test-utils/live-query-fixture.js'
import { asRecord } from '../../test-utils/test-server.js'
import { decodeClientFrame } from './sockjs-frames.js'

/** A SockJS websocket-transport client as `sockjs-client` behaves: raw frames, recorded. */
class SockJsClient {
  readonly frames: string[] = []
  readonly socket: WebSocket
  readonly closed: Promise<void>
  constructor(url: string) {
    this.socket = new WebSocket(url)
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()))
    this.socket.on('message', (data: WebSocket.RawData) => this.frames.push(String(data)))
  }
  /** Sends messages as sockjs-client does: one frame, a JSON array of JSON texts. */
  send(...messages: unknown[]): void {
    this.socket.send(JSON.stringify(messages.map((m) => JSON.stringify(m))))
  }
  /** Every message carried in `a` frames so far, parsed. */
  messages(): Record<string, unknown>[] {
    return this.frames
      .filter((f) => f.startsWith('a'))
      .flatMap((f) => JSON.parse(f.slice(1)) as string[])
      .map((m) => asRecord(JSON.parse(m)))
  }
  async until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000
    while (!check()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames)}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}

describe.each(DIALECTS)('SockJS live query results [%s]', (dialect) => {
  let f: LiveFixture
  let base: string
  const clients: SockJsClient[] = []

  beforeAll(async () => {
    f = await startLiveFixture(dialect)
    base = await f.t.server.app.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    for (const client of clients) {
      client.socket.close()
    }
    await f.t.close()
  })

  const connect = (version = 'v1') => {
    const session = Math.random().toString(36).slice(2)
    const client = new SockJsClient(
      `${base.replace('http', 'ws')}/api/${version}/fleet/results/123/${session}/websocket`,
    )
    clients.push(client)
    return client
  }

  it('answers info as a SockJS server offering websockets', async () => {
    const res = await fetch(`${base}/api/latest/fleet/results/info`)
    expect(res.status).toBe(200)
    const info = asRecord(await res.json())
    expect(info).toMatchObject({ websocket: true, cookie_needed: false, origins: ['*:*'] })
    expect(info.entropy).toEqual(expect.any(Number))
  })

  it('opens, authenticates, selects a campaign and streams results in SockJS frames', async () => {
    const { h1 } = f.hosts
    const res = await f.run(f.admin, { query: 'SELECT 1 AS one', selected: { hosts: [h1.id] } })
    const id = Number(asRecord(res.data().campaign).id)
    const client = connect()
    await client.until(() => client.frames[0] === 'o', 'the open frame')
    client.send(
      { type: 'auth', data: { token: f.admin } },
      { type: 'select_campaign', data: { campaign_id: id } },
    )
    await client.until(() => client.messages().some((m) => m.type === 'totals'), 'totals')
    await waitFor('the host to be asked', async () => (await f.liveQueries(h1))[id] !== undefined)
    await f.answer(h1, { [`${PREFIX}${id}`]: [{ one: '1' }] })
    await client.until(() => client.messages().some((m) => m.type === 'result'), 'a result')
    const result = client.messages().find((m) => m.type === 'result')
    expect(asRecord(result?.data).rows).toEqual([
      { one: '1', host_hostname: h1.hostname, host_display_name: h1.hostname },
    ])
  })

  it("serves Fleet's web UI client (sockjs-client) over its websocket transport", async () => {
    const { h2 } = f.hosts
    const res = await f.run(f.admin, { query: 'SELECT 2 AS two', selected: { hosts: [h2.id] } })
    const id = Number(asRecord(res.data().campaign).id)
    const received: Record<string, unknown>[] = []
    const sock = new SockJS(`${base}/api/v1/fleet/results`, undefined, {
      transports: ['websocket'],
    })
    const closed = new Promise<void>((resolve) => (sock.onclose = () => resolve()))
    sock.onmessage = (event: { data: string }) => received.push(asRecord(JSON.parse(event.data)))
    await new Promise<void>((resolve) => (sock.onopen = () => resolve()))
    sock.send(JSON.stringify({ type: 'auth', data: { token: f.admin } }))
    sock.send(JSON.stringify({ type: 'select_campaign', data: { campaign_id: id } }))
    await waitFor('the host to be asked', async () => (await f.liveQueries(h2))[id] !== undefined)
    await f.answer(h2, { [`${PREFIX}${id}`]: [{ two: '2' }] })
    await waitFor('the result', () => received.some((m) => m.type === 'result'))
    expect(received.map((m) => m.type)).toEqual(expect.arrayContaining(['totals', 'status']))
    sock.close()
    await closed
  })

  it('sends the error and a SockJS close frame for a bad token', async () => {
    const client = connect('2022-04')
    await client.until(() => client.frames[0] === 'o', 'the open frame')
    client.send({ type: 'auth', data: { token: 'nope' } })
    await client.closed
    expect(client.messages()).toEqual([{ type: 'error', data: 'unauthorized' }])
    expect(client.frames.at(-1)).toBe('c[3000,"Go away!"]')
  })

  it('ends a session whose frame is not SockJS', async () => {
    const client = connect()
    await client.until(() => client.frames[0] === 'o', 'the open frame')
    client.socket.send('{not json')
    await client.closed
  })
})

describe('decodeClientFrame', () => {
  it('reads an array of strings or one string, and nothing else', () => {
    expect(decodeClientFrame('["a","b"]')).toEqual(['a', 'b'])
    expect(decodeClientFrame('"a"')).toEqual(['a'])
    expect(decodeClientFrame('')).toEqual([])
    expect(decodeClientFrame('[1]')).toBeUndefined()
    expect(decodeClientFrame('{')).toBeUndefined()
  })
})
