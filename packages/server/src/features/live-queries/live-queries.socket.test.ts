import { CampaignStatus } from '@fleet/api'
import { waitFor } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord } from '../../test-utils/test-server.js'
import { PREFIX, startLiveFixture, type LiveFixture } from '../../test-utils/live-query-fixture.js'
import { SocketClient } from '../../test-utils/live-query-socket.js'

describe.each(DIALECTS)('live query results websocket [%s]', (dialect) => {
  let f: LiveFixture
  let url: string
  const clients: SocketClient[] = []

  beforeAll(async () => {
    f = await startLiveFixture(dialect)
    const address = await f.t.server.app.listen({ host: '127.0.0.1', port: 0 })
    url = `${address.replace('http', 'ws')}/api/v1/fleet/results/websocket`
  })
  afterAll(async () => {
    for (const client of clients) {
      client.close()
    }
    await f.t.close()
  })

  const connect = (path = url) => {
    const client = new SocketClient(path)
    clients.push(client)
    return client
  }
  const campaign = async (hostIds: number[], token = f.admin) => {
    const res = await f.run(token, { query: 'SELECT 1 AS one', selected: { hosts: hostIds } })
    expect(res.statusCode, res.body).toBe(200)
    return Number(asRecord(res.data().campaign).id)
  }
  const campaignStatus = async (id: number) =>
    (
      await f.t.database.db
        .selectFrom('live_query_campaigns')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status

  it('refuses a bad token, and a first message that is not auth', async () => {
    const id = await campaign([f.hosts.h1.id])
    const bad = connect()
    await bad.select('not-a-token', id)
    expect((await bad.waitFor('error')).data).toBe('unauthorized')
    await bad.closed
    const early = connect()
    await early.opened
    early.send({ type: 'select_campaign', data: { campaign_id: id } })
    expect((await early.waitFor('error')).data).toBe('no auth token')
    await early.closed
  })

  it("refuses someone else's campaign, unknown ones and users who can't run queries", async () => {
    const id = await campaign([f.hosts.h1.id])
    const other = connect()
    await other.select(f.users.maintainer.token, id)
    expect((await other.waitFor('error')).data).toBe('forbidden')
    await other.closed
    const gitops = connect()
    await gitops.select(f.users.gitops.token, id)
    expect((await gitops.waitFor('error')).data).toBe('forbidden')
    const unknown = connect()
    await unknown.select(f.admin, 999_999)
    expect((await unknown.waitFor('error')).data).toBe('cannot find campaign for ID 999999')
    // The refused readers did not end it.
    expect(await campaignStatus(id)).toBe(CampaignStatus.waiting)
  })

  it('streams totals, status and each host’s result once; answered hosts are not asked again', async () => {
    const { h1, h2 } = f.hosts
    const id = await campaign([h1.id, h2.id])
    const client = connect(url.replace('/v1/', '/latest/'))
    await client.select(f.admin, id)
    expect((await client.waitFor('totals')).data).toEqual({
      count: 2,
      online: 2,
      offline: 0,
      missing_in_action: 0,
    })
    expect((await client.waitFor('status')).data).toEqual({
      expected_results: 2,
      actual_results: 0,
      status: 'pending',
    })
    await waitFor(
      'the campaign to run',
      async () => (await campaignStatus(id)) === CampaignStatus.running,
    )
    expect((await f.liveQueries(h1))[id]).toBe('SELECT 1 AS one')
    await f.answer(h1, { [`${PREFIX}${id}`]: [{ one: '1' }] })
    const first = await client.waitFor('result')
    expect(first.data).toEqual({
      distributed_query_execution_id: id,
      host: { id: h1.id, hostname: 'lq-host-1', display_name: 'lq-host-1' },
      rows: [{ one: '1', host_hostname: 'lq-host-1', host_display_name: 'lq-host-1' }],
      error: null,
    })
    expect((await f.liveQueries(h1))[id]).toBeUndefined()
    // A repeated answer (e.g. from a host whose answer crossed the broadcast) is not streamed.
    await f.answer(h1, { [`${PREFIX}${id}`]: [{ one: '1' }] })
    await f.answer(h2, { [`${PREFIX}${id}`]: { failed: 'no such table: nope' } })
    const failed = await client.waitFor('result', (m) => m.data.host.id === h2.id)
    expect(failed).toMatchObject({ data: { rows: [], error: expect.any(String) } })
    expect((await client.waitFor('status', (m) => m.data.status === 'finished')).data).toEqual({
      expected_results: 2,
      actual_results: 2,
      status: 'finished',
    })
    expect(client.messages.filter((m) => m.type === 'result')).toHaveLength(2)
    client.close()
  })

  it('ends the campaign everywhere when the client goes away mid-stream', async () => {
    const { h1, h2 } = f.hosts
    const id = await campaign([h1.id, h2.id])
    const client = connect()
    await client.select(f.admin, id)
    await client.waitFor('status')
    await f.answer(h1, { [`${PREFIX}${id}`]: [{ one: '1' }] })
    await client.waitFor('result')
    client.close()
    await waitFor(
      'the campaign to finish',
      async () => (await campaignStatus(id)) === CampaignStatus.finished,
    )
    await waitFor(
      'the registry to drop it',
      () => f.t.server.liveQueries.registry.get(id) === undefined,
    )
    expect((await f.liveQueries(h2))[id]).toBeUndefined()
    // A finished campaign can't be selected again.
    const late = connect()
    await late.select(f.admin, id)
    expect((await late.waitFor('error')).data).toBe(`campaign ${id} is not running`)
  })

  it('keeps the campaign for a reader whose connection broke, and hands it what arrived', async () => {
    const { h1, h2 } = f.hosts
    const id = await campaign([h1.id, h2.id])
    const first = connect()
    await first.select(f.admin, id)
    await first.waitFor('status')
    await f.answer(h1, { [`${PREFIX}${id}`]: [{ one: '1' }] })
    await first.waitFor('result')
    first.drop()
    await first.closed
    // Answers while nobody reads are held for the reader that comes back.
    await f.answer(h2, { [`${PREFIX}${id}`]: [{ one: '2' }] })
    expect(await campaignStatus(id)).toBe(CampaignStatus.running)
    const again = connect()
    await again.select(f.admin, id)
    expect((await again.waitFor('totals')).data.count).toBe(2)
    const held = await again.waitFor('result', (m) => m.data.host.id === h2.id)
    expect(held.data.rows).toMatchObject([{ one: '2' }])
    expect((await again.waitFor('status', (m) => m.data.status === 'finished')).data).toEqual({
      expected_results: 2,
      actual_results: 2,
      status: 'finished',
    })
    // h1's answer went out just before the break, so it is sent again: once.
    const hosts = again.messages.flatMap((m) => (m.type === 'result' ? [m.data.host.id] : []))
    expect(hosts.sort()).toEqual([h1.id, h2.id].sort())
    // Someone else still can't take it over.
    const other = connect()
    await other.select(f.users.maintainer.token, id)
    expect((await other.waitFor('error')).data).toBe('forbidden')
    // A normal close ends it at once.
    again.close()
    await waitFor(
      'the campaign to finish',
      async () => (await campaignStatus(id)) === CampaignStatus.finished,
    )
  })

  it('truncates an answer past 10,000 rows', async () => {
    const { h3 } = f.hosts
    const id = await campaign([h3.id])
    const client = connect()
    await client.select(f.admin, id)
    await client.waitFor('status')
    const rows = Array.from({ length: 10_050 }, (_, i) => ({ n: String(i) }))
    await f.answer(h3, { [`${PREFIX}${id}`]: rows })
    const result = await client.waitFor('result')
    expect(result.data.rows).toHaveLength(10_000)
    expect(result.data.rows[9_999]).toMatchObject({ n: '9999' })
    client.close()
  })
})
