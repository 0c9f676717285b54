import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { MAX_JSON_DEPTH, TOO_DEEP } from './json-depth.js'

/** `{"v":{"v":…{"v":1}…}}`, `depth` objects deep. */
const deepObject = (depth: number): string => '{"v":'.repeat(depth) + '1' + '}'.repeat(depth)

describe('deeply nested request bodies', () => {
  let t: TestServer
  let admin: string
  let nodeKey: string

  beforeAll(async () => {
    t = await startTestServer('sqlite')
    admin = await t.setupAdmin()
    await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: 'deep' }] } },
    })
    const enrolled = await t.request('POST', '/api/osquery/enroll', {
      body: fixtureBlock('ubuntu_22.04', 'enroll', {
        uuid: 'deep-1',
        hostname: 'deep',
        enrollSecret: 'deep',
      }),
    })
    nodeKey = String(enrolled.data().node_key)
  })
  afterAll(() => t.close())

  it('are a 400 naming the body on the REST API', async () => {
    const res = await t.request('POST', `${FLEET_API}/teams`, {
      token: admin,
      rawBody: `{"name":"deep","x":${deepObject(MAX_JSON_DEPTH + 1)}}`,
    })
    expect(res.statusCode).toBe(400)
    expect(res.data().errors).toEqual([
      { name: 'body', reason: `nested deeper than ${MAX_JSON_DEPTH} levels` },
    ])
  })

  it("are accepted from osquery with the too-deep part replaced, so it doesn't re-send forever", async () => {
    const entry = `{"severity":"0","message":"deep","nested":${deepObject(20_000)}}`
    const res = await t.request('POST', '/api/osquery/log', {
      rawBody: `{"node_key":"${nodeKey}","log_type":"status","data":[${entry}]}`,
    })
    expect(res.statusCode).toBe(200)
    await t.server.osqueryLogs.sinks.status.flush()
    const lines = readFileSync(join(t.deps.config.data_dir, 'osquery_status'), 'utf8')
    expect(lines).toContain('"message":"deep"')
    expect(lines).toContain(TOO_DEEP)
  })
})
