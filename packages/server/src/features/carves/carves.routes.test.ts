import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCronRunner } from '../../cron/index.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { expiredCarvesJob } from './carves.cron.js'
import { FLEET_API } from '@fleet/test-support'

const SECRET = 'carve-secret'

describe.each(DIALECTS)('file carving [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let maintainer: string
  let observer: string
  let nodeKey: string

  const begin = (body: Record<string, unknown>) =>
    t.request('POST', '/api/osquery/carve/begin', {
      body: {
        node_key: nodeKey,
        carve_id: 'c-1',
        request_id: 'fleet_distributed_query_30',
        ...body,
      },
    })
  const block = (body: Record<string, unknown>) =>
    t.request('POST', '/api/v1/osquery/carve/block', { body })

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    maintainer = (await t.createUser(admin, { email: 'cm@example.com', globalRole: 'maintainer' }))
      .token
    observer = (await t.createUser(admin, { email: 'co@example.com', globalRole: 'observer' }))
      .token
    await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: SECRET }] } },
    })
    nodeKey = String(
      (
        await t.request('POST', '/api/osquery/enroll', {
          body: fixtureBlock('ubuntu_22.04', 'enroll', {
            uuid: 'C-1',
            hostname: 'carved',
            enrollSecret: SECRET,
          }),
        })
      ).data().node_key,
    )
  })
  afterAll(() => t.close())

  it("refuses carve sessions that don't add up, and unauthenticated ones", async () => {
    expect((await begin({ block_count: 2, block_size: 10, carve_size: 50 })).statusCode).toBe(400)
    expect(
      (await begin({ block_count: 1, block_size: 9_000_000, carve_size: 9_000_000 })).statusCode,
    ).toBe(400)
    const noKey = await t.request('POST', '/api/osquery/carve/begin', {
      body: { block_count: 1, block_size: 10, carve_size: 5, carve_id: 'x', request_id: 'y' },
    })
    expect(noKey.statusCode).toBe(401)
    expect(noKey.data().node_invalid).toBe(true)
  })

  it('receives a carve in blocks and serves it back to admins only', async () => {
    const started = await begin({ block_count: '2', block_size: '8', carve_size: '12' })
    expect(started.statusCode).toBe(200)
    const sessionId = String(started.data().session_id)
    expect(started.data().success).toBe(true)
    const parts = [Buffer.from('hello wo'), Buffer.from('rld!')]
    for (const [index, part] of parts.entries()) {
      const res = await block({
        block_id: index,
        session_id: sessionId,
        request_id: 'fleet_distributed_query_30',
        data: part.toString('base64'),
      })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ success: true })
    }
    for (const [body, reason] of [
      [
        { block_id: 0, session_id: 'nope', request_id: 'fleet_distributed_query_30', data: '' },
        'unknown carve session',
      ],
      [
        { block_id: 0, session_id: sessionId, request_id: 'other', data: '' },
        'unknown carve session',
      ],
      [
        { block_id: 2, session_id: sessionId, request_id: 'fleet_distributed_query_30', data: '' },
        'block_id must be below block_count (2)',
      ],
      [
        {
          block_id: 1,
          session_id: sessionId,
          request_id: 'fleet_distributed_query_30',
          data: Buffer.from('123456789').toString('base64'),
        },
        'block is larger than block_size (8)',
      ],
      [
        {
          block_id: 1,
          session_id: sessionId,
          request_id: 'fleet_distributed_query_30',
          data: '%%%',
        },
        'data is not base64',
      ],
      [
        {
          block_id: 0,
          session_id: sessionId,
          request_id: 'fleet_distributed_query_30',
          data: Buffer.from('planted!').toString('base64'),
        },
        'block_id does not match expected block (2): 0',
      ],
    ] as const) {
      const res = await block(body)
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({ error: reason })
    }

    const list = await t.request('GET', `${FLEET_API}/carves`, { token: maintainer })
    expect(list.statusCode).toBe(200)
    const [carve] = list.data().carves as Record<string, unknown>[]
    expect(carve).toMatchObject({
      block_count: 2,
      block_size: 8,
      carve_size: 12,
      max_block: 1,
      expired: false,
      request_id: 'fleet_distributed_query_30',
      session_id: sessionId,
    })
    expect(String(carve?.name)).toMatch(
      /^carved-\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z-fleet_distributed_query_30$/,
    )
    const contents = []
    for (const id of [0, 1]) {
      const res = await t.request('GET', `${FLEET_API}/carves/${String(carve?.id)}/block/${id}`, {
        token: admin,
      })
      expect(res.statusCode).toBe(200)
      contents.push(Buffer.from(String(res.data().data), 'base64'))
    }
    expect(Buffer.concat(contents).toString()).toBe('hello world!')
    expect(
      (
        await t.request('GET', `${FLEET_API}/carves/${String(carve?.id)}/block/0`, {
          token: maintainer,
        })
      ).statusCode,
    ).toBe(403)
    expect((await t.request('GET', `${FLEET_API}/carves`, { token: observer })).statusCode).toBe(
      403,
    )
  })

  it('expires carves after 24 hours', async () => {
    // A carve of this test's own, of two blocks.
    const sessionId = String(
      (await begin({ block_count: 2, block_size: 4, carve_size: 8 })).data().session_id,
    )
    for (const blockId of [0, 1]) {
      const sent = await block({
        block_id: blockId,
        session_id: sessionId,
        request_id: 'fleet_distributed_query_30',
        data: Buffer.from('data').toString('base64'),
      })
      expect(sent.statusCode).toBe(200)
    }
    t.clock.advance(25 * 3_600_000)
    expect((await t.request('GET', `${FLEET_API}/carves`, { token: admin })).data().carves).toEqual(
      [],
    )
    const expired = (
      (await t.request('GET', `${FLEET_API}/carves?expired=true`, { token: admin })).data()
        .carves as Record<string, unknown>[]
    ).filter((carve) => carve.session_id === sessionId)
    expect(expired[0]?.expired).toBe(true)
    expect(
      (
        await t.request('GET', `${FLEET_API}/carves/${String(expired[0]?.id)}/block/0`, {
          token: admin,
        })
      ).statusCode,
    ).toBe(404)
    const late = await block({
      block_id: 0,
      session_id: String(expired[0]?.session_id),
      request_id: 'fleet_distributed_query_30',
      data: '',
    })
    expect(late.json()).toEqual({ error: 'carve session expired' })
    expect(
      asRecord(
        (
          await t.request('GET', `${FLEET_API}/carves/${String(expired[0]?.id)}`, { token: admin })
        ).data().carve,
      ).max_block,
    ).toBe(1)
  })

  it('takes blocks in order only: a skipped block is refused, a stored one never replaced', async () => {
    const started = await begin({ block_count: 3, block_size: 4, carve_size: 12 })
    const sessionId = String(started.data().session_id)
    const send = (blockId: number, text: string) =>
      block({
        block_id: blockId,
        session_id: sessionId,
        request_id: 'fleet_distributed_query_30',
        data: Buffer.from(text).toString('base64'),
      })
    expect((await send(1, 'skip')).json()).toEqual({
      error: 'block_id does not match expected block (0): 1',
    })
    expect((await send(0, 'aaaa')).statusCode).toBe(200)
    expect((await send(0, 'evil')).json()).toEqual({
      error: 'block_id does not match expected block (1): 0',
    })
    const stored = await t.deps.db
      .selectFrom('carve_blocks')
      .innerJoin('carves', 'carves.id', 'carve_blocks.carve_id')
      .select('carve_blocks.data')
      .where('carves.session_id', '=', sessionId)
      .execute()
    expect(stored.map((row) => Buffer.from(row.data).toString())).toEqual(['aaaa'])
  })

  it('the expired-carves cron job deletes expired contents and keeps the carve listed', async () => {
    const carveWithBlock = async () => {
      const sessionId = String(
        (await begin({ block_count: 1, block_size: 4, carve_size: 4 })).data().session_id,
      )
      const sent = await block({
        block_id: 0,
        session_id: sessionId,
        request_id: 'fleet_distributed_query_30',
        data: Buffer.from('data').toString('base64'),
      })
      expect(sent.statusCode).toBe(200)
      const row = await t.deps.db
        .selectFrom('carves')
        .select('id')
        .where('session_id', '=', sessionId)
        .executeTakeFirstOrThrow()
      return row.id
    }
    const blocksOf = async (carveId: number) =>
      (
        await t.deps.db
          .selectFrom('carve_blocks')
          .select('block_id')
          .where('carve_id', '=', carveId)
          .execute()
      ).length
    const old = await carveWithBlock()
    t.clock.advance(25 * 3_600_000)
    const fresh = await carveWithBlock()
    const runner = createCronRunner(t.deps, [expiredCarvesJob(t.deps)])
    expect(await runner.runDue()).toEqual(['carves_expired_blocks'])
    expect(await blocksOf(old)).toBe(0)
    expect(await blocksOf(fresh)).toBe(1)
    const listed = (
      await t.request('GET', `${FLEET_API}/carves?expired=true`, { token: admin })
    ).data().carves as { id: number }[]
    expect(listed.map((carve) => carve.id)).toContain(old)
  })
})
