import { FLEET_API, waitFor } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord } from '../../test-utils/test-server.js'
import {
  PREFIX,
  startLiveFixture,
  type FixtureHost,
  type LiveFixture,
} from '../../test-utils/live-query-fixture.js'

/**
 * `live_query.rest_period` in these tests: longer than a test may take, so a run that answers at
 * all has returned early, when its hosts answered, without timing anything.
 */
const REST_PERIOD = '60s'
/** The rest period of the test that waits it out. */
const SHORT_REST_PERIOD = '200ms'

describe.each(DIALECTS)('synchronous live queries [%s]', (dialect) => {
  let f: LiveFixture

  beforeAll(async () => {
    f = await startLiveFixture(dialect, { 'live_query.rest_period': REST_PERIOD })
  })
  afterAll(() => f.t.close())

  /** Checks the host in until it is asked a live query, then answers it. */
  const answerWhenAsked = async (
    host: FixtureHost,
    answer: Record<string, unknown>[] | { failed: string },
  ) => {
    const id = await waitFor(`${host.hostname} to be asked`, async () => {
      const [asked] = Object.keys(await f.liveQueries(host))
      return asked
    })
    await f.answer(host, { [`${PREFIX}${id}`]: answer })
  }

  it('runs ad-hoc SQL on one host and returns its rows', async () => {
    const { h1 } = f.hosts
    const pending = f.t.request('POST', `${FLEET_API}/hosts/${h1.id}/query`, {
      token: f.admin,
      body: { query: '  SELECT vendor FROM usb_devices ' },
    })
    await answerWhenAsked(h1, [{ vendor: 'VIA Labs' }])
    const res = await pending
    expect(res.statusCode, res.body).toBe(200)
    expect(res.data()).toEqual({
      host_id: h1.id,
      query: 'SELECT vendor FROM usb_devices',
      status: 'online',
      error: null,
      rows: [{ vendor: 'VIA Labs' }],
    })
    expect(f.t.server.liveQueries.registry.size).toBe(0)
  })

  it('by identifier too, and with the host’s error', async () => {
    const pending = f.t.request('POST', `${FLEET_API}/hosts/identifier/lq-host-2/query`, {
      token: f.admin,
      body: { query: 'SELECT * FROM nope' },
    })
    await answerWhenAsked(f.hosts.h2, { failed: 'no such table: nope' })
    const res = await pending
    expect(res.data()).toMatchObject({ host_id: f.hosts.h2.id, status: 'online', rows: null })
    expect(res.data().error).toEqual(expect.any(String))
  })

  it('refuses a missing host, empty SQL, and users who may not run ad-hoc SQL', async () => {
    const query = (id: number, body: unknown, token = f.admin) =>
      f.t.request('POST', `${FLEET_API}/hosts/${id}/query`, { token, body })
    expect((await query(999_999, { query: 'SELECT 1' })).statusCode).toBe(404)
    expect((await query(f.hosts.h1.id, { query: ' ' })).statusCode).toBe(400)
    expect((await query(f.hosts.h1.id, {})).statusCode).toBe(400)
    const observer = await query(f.hosts.h1.id, { query: 'SELECT 1' }, f.users.observer.token)
    expect(observer.statusCode).toBe(403)
    const outside = await query(f.hosts.h3.id, { query: 'SELECT 1' }, f.users.teamMaintainer.token)
    expect(outside.statusCode).toBe(403)
  })

  it('runs a saved query on hosts and returns each answer, early when all answered', async () => {
    const created = await f.t.request('POST', `${FLEET_API}/queries`, {
      token: f.admin,
      body: { name: 'usb', query: 'SELECT vendor FROM usb_devices', observer_can_run: true },
    })
    const queryId = Number(asRecord(created.data().query).id)
    const { h1, h2 } = f.hosts
    const pending = f.t.request('POST', `${FLEET_API}/queries/${queryId}/run`, {
      token: f.users.observer.token,
      body: { host_ids: [h1.id, h2.id, h1.id] },
    })
    await answerWhenAsked(h1, [{ vendor: 'Apple' }])
    await answerWhenAsked(h2, { failed: 'no such table: usb_devices' })
    const res = await pending
    expect(res.statusCode, res.body).toBe(200)
    expect(res.data()).toMatchObject({
      query_id: queryId,
      targeted_host_count: 2,
      responded_host_count: 2,
      results: [
        { host_id: h1.id, rows: [{ vendor: 'Apple' }], error: null },
        { host_id: h2.id, rows: [], error: expect.any(String) },
      ],
    })
    const empty = await f.t.request('POST', `${FLEET_API}/queries/${queryId}/run`, {
      token: f.admin,
      body: { host_ids: [] },
    })
    expect(empty.statusCode).toBe(400)
  })

  it('does not ask an offline host', async () => {
    f.t.clock.advance(3_600_000)
    const res = await f.t.request('POST', `${FLEET_API}/hosts/${f.hosts.h1.id}/query`, {
      token: f.admin,
      body: { query: 'SELECT 1' },
    })
    // Back to now, so the tests after this one find their hosts online.
    f.t.clock.advance(-3_600_000)
    expect(res.data()).toEqual({
      host_id: f.hosts.h1.id,
      query: 'SELECT 1',
      status: 'offline',
      error: null,
      rows: null,
    })
  })
})

describe.each(DIALECTS)('synchronous live queries, waited out [%s]', (dialect) => {
  let f: LiveFixture

  beforeAll(async () => {
    f = await startLiveFixture(dialect, { 'live_query.rest_period': SHORT_REST_PERIOD })
  })
  afterAll(() => f.t.close())

  it('times out after the rest period with an error, and ends the campaign', async () => {
    const res = await f.t.request('POST', `${FLEET_API}/hosts/${f.hosts.h4.id}/query`, {
      token: f.admin,
      body: { query: 'SELECT 1' },
    })
    expect(res.data()).toMatchObject({ error: 'timeout waiting for results', rows: null })
    expect(f.t.server.liveQueries.registry.size).toBe(0)
    expect(await f.liveQueries(f.hosts.h4)).toEqual({})
  })
})
