import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../config/index.js'
import { silentLogger } from '../../platform/logger.js'
import { buildServer } from '../../server.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { BufferedLogSink } from './buffered-sink.js'
import type { LogDestination } from './log-destination.js'
import { createDestination } from './log-destinations.js'
import { eventually, FLEET_API } from '@fleet/test-support'

async function enroll(t: TestServer, name: string): Promise<string> {
  const res = await t.request('POST', '/api/osquery/enroll', {
    body: fixtureBlock('ubuntu_22.04', 'enroll', { uuid: name, hostname: name, enrollSecret: 's' }),
  })
  return String(res.data().node_key)
}

async function withSecret(t: TestServer): Promise<string> {
  const admin = await t.setupAdmin()
  await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
    token: admin,
    body: { spec: { secrets: [{ secret: 's' }] } },
  })
  return admin
}

const result = (name: string, n = 1) => ({
  name,
  action: 'snapshot',
  snapshot: [{ n: String(n) }],
  hostIdentifier: 'h',
  unixTime: 1_763_000_000,
})

describe('osquery logs to the default filesystem destination', () => {
  let t: TestServer
  let admin: string
  let key: string
  const send = (logType: 'result' | 'status', data: unknown[]) =>
    t.request('POST', '/api/osquery/log', { body: { node_key: key, log_type: logType, data } })
  /** Every line written so far (a test compares the lines after those it found at its start). */
  const fileLines = async (type: 'result' | 'status') => {
    await t.server.osqueryLogs.sinks[type].flush()
    const path = join(t.deps.config.data_dir, `osquery_${type}`)
    const text = existsSync(path) ? readFileSync(path, 'utf8').trim() : ''
    return text === ''
      ? []
      : text.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  }

  beforeAll(async () => {
    t = await startTestServer()
    admin = await withSecret(t)
    key = await enroll(t, 'h')
    for (const body of [
      { name: 'Automated', query: 'SELECT 1', interval: 60, automations_enabled: true },
      { name: 'Report only', query: 'SELECT 2', interval: 60 },
    ]) {
      await t.request('POST', `${FLEET_API}/queries`, { token: admin, body })
    }
  })
  afterAll(() => t.close())

  it("forwards results except Fleet queries' with automations off and unreadable entries", async () => {
    const before = (await fileLines('result')).length
    const res = await send('result', [
      result('pack/Global/Automated'),
      result('pack/Global/Report only'),
      result('pack/Global/Not a Fleet query'),
      result('pack/legacy pack/query'),
      'not a log entry',
    ])
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({})
    expect((await fileLines('result')).slice(before).map((line) => line.name)).toEqual([
      'pack/Global/Automated',
      'pack/Global/Not a Fleet query',
      'pack/legacy pack/query',
    ])
    // The report-only query still got its report.
    const list = await t.request('GET', `${FLEET_API}/queries?query=Report`, { token: admin })
    const id = (list.data().queries as { id: number }[])[0]?.id
    const report = await t.request('GET', `${FLEET_API}/queries/${id}/report`, { token: admin })
    expect(report.data().results).toMatchObject([{ columns: { n: '1' } }])
  })

  it('forwards everything while query reports are disabled', async () => {
    await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { server_settings: { query_reports_disabled: true } },
    })
    try {
      await send('result', [result('pack/Global/Report only', 2)])
      expect((await fileLines('result')).at(-1)).toMatchObject({ name: 'pack/Global/Report only' })
    } finally {
      await t.request('PATCH', `${FLEET_API}/config`, {
        token: admin,
        body: { server_settings: { query_reports_disabled: false } },
      })
    }
  })

  it('writes status logs as they come', async () => {
    const status = [
      { severity: '0', filename: 'scheduler.cpp', line: '83', message: 'Executing query' },
      { severity: '1', filename: 'tls.cpp', line: '12', message: 'retrying' },
    ]
    const before = (await fileLines('status')).length
    expect((await send('status', status)).statusCode).toBe(200)
    expect((await fileLines('status')).slice(before)).toEqual(status)
    const bad = await send('status' as 'result', 'nope' as unknown as unknown[])
    expect(bad.statusCode).toBe(400)
  })
})

describe('osquery logs to a webhook', () => {
  let receiver: Server
  const bodies: unknown[] = []
  let t: TestServer

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')))
        res.end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const port = (receiver.address() as AddressInfo).port
    t = await startTestServer('sqlite', {
      flags: {
        'osquery.result_log_plugin': 'webhook',
        'webhook.result_url': `http://127.0.0.1:${port}/osquery`,
      },
    })
  })
  afterAll(async () => {
    await t.close()
    await new Promise<void>((resolve) => receiver.close(() => resolve()))
  })

  it('POSTs result logs, wrapped as {timestamp, details}', async () => {
    await withSecret(t)
    const key = await enroll(t, 'w')
    const res = await t.request('POST', '/api/osquery/log', {
      body: { node_key: key, log_type: 'result', data: [result('pack/Global/Elsewhere')] },
    })
    expect(res.statusCode).toBe(200)
    await t.server.osqueryLogs.sinks.result.flush()
    expect(bodies).toEqual([
      [{ timestamp: expect.any(String), details: result('pack/Global/Elsewhere') }],
    ])
  })

  it('refuses to start without a webhook URL', () => {
    const config = loadConfig({ env: {}, flags: { 'osquery.status_log_plugin': 'webhook' } })
    expect(() => createDestination(config, 'status')).toThrow(ConfigError)
    expect(() => createDestination(config, 'status')).toThrow(/webhook\.status_url/)
  })
})

describe('a log destination that is behind', () => {
  let t: TestServer
  let release: () => void = () => undefined
  const writes: string[][] = []
  const stalled: LogDestination = {
    kind: 'stalled',
    write: async (lines) => {
      await new Promise<void>((resolve) => {
        release = resolve
      })
      writes.push([...lines])
    },
    close: () => Promise.resolve(),
  }

  beforeAll(async () => {
    t = await startTestServer()
    await withSecret(t)
  })
  afterAll(() => t.close())

  it('answers once the lines are written, and asks osquery to resend what does not fit meanwhile', async () => {
    const sink = (destination: LogDestination) =>
      new BufferedLogSink(destination, { name: 'x', capacity: 3, log: silentLogger() })
    const sinks = {
      result: sink(stalled),
      status: sink(stalled),
      check: async () => undefined,
      close: async () => undefined,
    }
    const server = await buildServer(t.deps, { osqueryLogSinks: sinks })
    try {
      const key = await enroll(t, 'slow')
      const post = (data: unknown[]) =>
        server.app.inject({
          method: 'POST',
          url: '/api/osquery/log',
          payload: { node_key: key, log_type: 'status', data },
        })
      let answered = false
      const first = post([{ m: 1 }, { m: 2 }]).then((res) => {
        answered = true
        return res
      })
      await eventually(() => expect(sinks.status.stats()).toMatchObject({ queued: 2 }))
      // The write is under way: no answer yet, and what doesn't fit beside it is refused.
      const refused = await post([{ m: 3 }, { m: 4 }])
      expect(refused.statusCode).toBe(503)
      expect(refused.json()).toEqual({ error: expect.stringMatching(/send the logs again later/) })
      expect(answered).toBe(false)
      release()
      expect((await first).statusCode).toBe(200)
      expect(writes).toEqual([['{"m":1}', '{"m":2}']])
      const retried = post([{ m: 3 }, { m: 4 }])
      await eventually(() => expect(sinks.status.stats()).toMatchObject({ queued: 2 }))
      release()
      expect((await retried).statusCode).toBe(200)
      expect(writes).toHaveLength(2)
      expect(sinks.status.stats()).toMatchObject({ written: 4, refused: 2 })
    } finally {
      await server.close()
    }
  })
})
