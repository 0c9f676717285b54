import { waitFor } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServer, type FleetServer } from '../../server.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord } from '../../test-utils/test-server.js'
import {
  PREFIX,
  startLiveFixture,
  type FixtureHost,
  type LiveFixture,
} from '../../test-utils/live-query-fixture.js'
import { SocketClient } from '../../test-utils/live-query-socket.js'

/**
 * Two server instances in one process on one database and one pub/sub (what several
 * `fleet serve` processes share through MySQL and Redis; test/e2e covers the real thing).
 */
describe.each(DIALECTS)('live queries across instances [%s]', (dialect) => {
  let f: LiveFixture
  let other: FleetServer
  let url: string
  const started: FleetServer[] = []

  beforeAll(async () => {
    f = await startLiveFixture(dialect)
    other = await buildServer(f.t.deps, { validateResponses: true })
    started.push(other)
    const address = await f.t.server.app.listen({ host: '127.0.0.1', port: 0 })
    url = `${address.replace('http', 'ws')}/api/v1/fleet/results/websocket`
  })
  afterAll(async () => {
    for (const server of started) {
      await server.close()
    }
    await f.t.close()
  })

  /** The live queries a host is asked when it checks in to `server`. */
  const liveOn = async (server: FleetServer, host: FixtureHost) => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/osquery/distributed/read',
      payload: { node_key: host.nodeKey },
    })
    const queries = asRecord(asRecord(res.json()).queries)
    return Object.keys(queries)
      .filter((name) => name.startsWith(PREFIX))
      .map((name) => Number(name.slice(PREFIX.length)))
  }
  const answerOn = async (server: FleetServer, host: FixtureHost, id: number, rows: unknown[]) => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/osquery/distributed/write',
      payload: { node_key: host.nodeKey, queries: { [`${PREFIX}${id}`]: rows }, statuses: {} },
    })
    expect(res.statusCode).toBe(200)
  }

  it('collects on one instance the answers hosts give another', async () => {
    const { h1, h2 } = f.hosts
    const res = await f.run(f.admin, { query: 'SELECT 7', selected: { hosts: [h1.id, h2.id] } })
    const id = Number(asRecord(res.data().campaign).id)
    const client = new SocketClient(url)
    await client.select(f.admin, id)
    await client.waitFor('status')

    await waitFor('the other instance to ask h1', async () =>
      (await liveOn(other, h1)).includes(id),
    )
    await answerOn(other, h1, id, [{ seven: '7' }])
    const result = await client.waitFor('result')
    expect(result.data).toMatchObject({ host: { id: h1.id }, rows: [{ seven: '7' }] })
    // Answered through the other instance: this one doesn't ask again either.
    await waitFor(
      'this instance to stop asking h1',
      async () => !(await liveOn(f.t.server, h1)).includes(id),
    )

    // An instance started now takes the running campaign up from the database.
    const late = await buildServer(f.t.deps, { validateResponses: true })
    started.push(late)
    expect(await liveOn(late, h2)).toContain(id)
    await waitFor(
      'the late instance to stop asking h1',
      async () => !(await liveOn(late, h1)).includes(id),
    )
    await answerOn(late, h2, id, [])
    await client.waitFor('status', (m) => m.data.status === 'finished')

    client.close()
    await waitFor(
      'the other registry to drop it',
      () => other.liveQueries.registry.get(id) === undefined,
    )
    await waitFor(
      'the late registry to drop it',
      () => late.liveQueries.registry.get(id) === undefined,
    )
    expect(await liveOn(other, h2)).not.toContain(id)
  })
})
