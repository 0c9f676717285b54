import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asRecord } from '../../test-utils/test-server.js'
import { startLiveFixture, type LiveFixture } from '../../test-utils/live-query-fixture.js'
import { SocketClient } from '../../test-utils/live-query-socket.js'
import { MAX_UNAUTHENTICATED_PER_IP } from './live-queries.socket.js'

describe('live query results websocket: unauthenticated connections', () => {
  let f: LiveFixture
  let url: string
  const clients: SocketClient[] = []

  beforeAll(async () => {
    f = await startLiveFixture('sqlite')
    const address = await f.t.server.app.listen({ host: '127.0.0.1', port: 0 })
    url = `${address.replace('http', 'ws')}/api/v1/fleet/results/websocket`
  })
  afterAll(async () => {
    for (const client of clients) {
      client.close()
    }
    await f.t.close()
  })

  const connect = async () => {
    const client = new SocketClient(url)
    clients.push(client)
    await client.opened
    return client
  }

  it('refuses more than the per-address maximum until one of them authenticates', async () => {
    const waiting: SocketClient[] = []
    for (let i = 0; i < MAX_UNAUTHENTICATED_PER_IP; i++) {
      waiting.push(await connect())
    }
    const refused = await connect()
    expect((await refused.waitFor('error')).data).toBe('too many unauthenticated connections')
    await refused.closed

    // Authenticating frees a place: the next connection is served, the one after is refused.
    const res = await f.run(f.admin, { query: 'SELECT 1', selected: { hosts: [f.hosts.h1.id] } })
    expect(res.statusCode, res.body).toBe(200)
    const campaignId = Number(asRecord(res.data().campaign).id)
    await waiting[0]?.select(f.admin, campaignId)
    await waiting[0]?.waitFor('totals')
    const next = await connect()
    const third = await connect()
    expect((await third.waitFor('error')).data).toBe('too many unauthenticated connections')
    const second = await f.run(f.admin, { query: 'SELECT 2', selected: { hosts: [f.hosts.h1.id] } })
    await next.select(f.admin, Number(asRecord(second.data().campaign).id))
    expect((await next.waitFor('totals')).type).toBe('totals')
  })
})
