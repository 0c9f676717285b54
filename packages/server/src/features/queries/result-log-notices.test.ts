import { FLEET_API } from '@fleet/test-support'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'

describe('notices about result logs', () => {
  const logged: Record<string, unknown>[] = []
  let t: TestServer
  let admin: string
  const keys: Record<string, string> = {}

  const send = async (host: string, rows: number, name = 'pack/Global/Full') => {
    const snapshot = Array.from({ length: rows }, (_, n) => ({ n: String(n) }))
    const res = await t.request('POST', '/api/osquery/log', {
      body: {
        node_key: keys[host],
        log_type: 'result',
        data: [{ name, action: 'snapshot', snapshot, unixTime: 1 }],
      },
    })
    expect(res.statusCode).toBe(200)
  }
  const fullNotices = () =>
    logged.filter(
      (line) => line.msg === 'query report is full; rows beyond the cap were not stored',
    )

  beforeAll(async () => {
    const log = pino(
      { level: 'info' },
      { write: (line: string) => logged.push(JSON.parse(line) as Record<string, unknown>) },
    )
    t = await startTestServer('sqlite', { log })
    admin = await t.setupAdmin()
    await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: 's' }] } },
    })
    for (const host of ['a', 'b']) {
      const res = await t.request('POST', '/api/osquery/enroll', {
        body: fixtureBlock('ubuntu_22.04', 'enroll', {
          uuid: host,
          hostname: host,
          enrollSecret: 's',
        }),
      })
      keys[host] = String(res.data().node_key)
    }
    const query = await t.request('POST', `${FLEET_API}/queries`, {
      token: admin,
      body: { name: 'Full', query: 'SELECT 1', interval: 300 },
    })
    expect(asRecord(query.data().query).id).toBeGreaterThan(0)
    const cap = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { server_settings: { query_report_cap: 4 } },
    })
    expect(cap.statusCode).toBe(200)
  })
  afterAll(() => t.close())

  const ignoredNotices = () =>
    logged.filter((line) => line.msg === 'ignoring results of queries this host was not sent')

  it('a full report is logged once per query per interval, not on every log post', async () => {
    await send('a', 3)
    for (let i = 0; i < 5; i++) {
      await send('b', 3)
    }
    expect(fullNotices()).toHaveLength(1)
    expect(fullNotices()[0]).toMatchObject({ rows: 3, stored: 1, cap: 4 })
    t.clock.advance(300_000)
    await send('b', 3)
    expect(fullNotices()).toHaveLength(2)
  })

  it('results of a query nobody sent are logged once per query an hour, not per post', async () => {
    for (const host of ['a', 'b', 'a']) {
      await send(host, 1, 'pack/Global/Nobody sent this')
    }
    expect(ignoredNotices()).toHaveLength(1)
    expect(ignoredNotices()[0]).toMatchObject({ queries: ['pack/Global/Nobody sent this'] })
    await send('b', 1, 'pack/Global/Nor this')
    expect(ignoredNotices()).toHaveLength(2)
    t.clock.advance(3_600_000)
    await send('a', 1, 'pack/Global/Nobody sent this')
    expect(ignoredNotices()).toHaveLength(3)
  })

  it("a user pack's results are not called results nobody sent", async () => {
    const before = ignoredNotices().length
    await send('a', 2, 'pack/Baseline/uptime')
    await send('a', 2, 'pack/Global/Still nobody')
    expect(ignoredNotices()).toHaveLength(before + 1)
    expect(ignoredNotices().at(-1)).toMatchObject({ queries: ['pack/Global/Still nobody'] })
  })
})
