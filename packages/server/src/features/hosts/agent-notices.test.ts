import { FLEET_API } from '@fleet/test-support'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

describe('answers nobody asked for', () => {
  const logged: Record<string, unknown>[] = []
  let t: TestServer
  const keys: string[] = []

  const answer = async (key: string, names: string[]) => {
    const res = await t.request('POST', '/api/osquery/distributed/write', {
      body: {
        node_key: key,
        queries: Object.fromEntries(names.map((name) => [name, [{ x: '1' }]])),
        statuses: Object.fromEntries(names.map((name) => [name, 0])),
      },
    })
    expect(res.statusCode).toBe(200)
  }
  const notices = () =>
    logged.filter((line) => line.msg === 'ignoring results of queries that were not asked for')

  beforeAll(async () => {
    const log = pino(
      { level: 'info' },
      { write: (line: string) => logged.push(JSON.parse(line) as Record<string, unknown>) },
    )
    t = await startTestServer('sqlite', { log })
    const admin = await t.setupAdmin()
    await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: 's' }] } },
    })
    for (const uuid of ['a', 'b']) {
      const res = await t.request('POST', '/api/osquery/enroll', {
        body: fixtureBlock('ubuntu_22.04', 'enroll', { uuid, hostname: uuid, enrollSecret: 's' }),
      })
      keys.push(String(res.data().node_key))
    }
  })
  afterAll(() => t.close())

  it('are logged once an hour for the same names, not on every write', async () => {
    for (const key of [...keys, ...keys]) {
      await answer(key, ['made_up_query'])
    }
    expect(notices()).toHaveLength(1)
    expect(notices()[0]).toMatchObject({ unknown: ['made_up_query'] })
    await answer(keys[0] ?? '', ['another_made_up_query'])
    expect(notices()).toHaveLength(2)
    t.clock.advance(3_600_000)
    await answer(keys[1] ?? '', ['made_up_query'])
    expect(notices()).toHaveLength(3)
  })
})
