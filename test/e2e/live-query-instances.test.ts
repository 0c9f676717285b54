import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmptyDatabase } from '../../packages/server/src/test-utils/databases.js'
import { asRecord, assertBuilt, FLEET_BIN, ROOT, waitFor } from './support.js'

/**
 * Two `fleet serve` processes on one MariaDB database and one Redis: a live query created
 * through the first collects the answer of a host that checks in to the second, and an instance
 * started while a campaign runs takes it up. Runs when DIALECTS includes mysql and REDIS_URL is
 * set (as in CI).
 */
const ENABLED =
  (process.env.DIALECTS ?? '').split(',').includes('mysql') && process.env.REDIS_URL !== undefined
const PREFIX = 'fleet_distributed_query_'
const SECRET = 'e2e-live-secret'

interface Instance {
  url: string
  stop(): Promise<void>
}

function fleet(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [FLEET_BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

function prepareDb(env: Record<string, string>): Promise<void> {
  const child = fleet(['prepare', 'db'], env)
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
  return new Promise((resolve, reject) =>
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`fleet prepare db: ${output}`)),
    ),
  )
}

function serve(env: Record<string, string>): Promise<Instance> {
  const child = fleet(['serve', '--server_address', '127.0.0.1:0', '--server_tls', 'false'], {
    ...env,
    FLEET_DATA_DIR: mkdtempSync(join(tmpdir(), 'fleet-e2e-live-')),
  })
  let output = ''
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString()
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output)
      if (match) {
        resolve({
          url: match[0],
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) {
                done()
                return
              }
              child.once('exit', () => done())
              child.kill('SIGTERM')
            }),
        })
      }
    })
    child.once('exit', (code) => reject(new Error(`fleet serve exited with ${code}: ${output}`)))
  })
}

async function call(url: string, path: string, body?: unknown, token?: string) {
  const res = await request(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.body.text()
  expect(res.statusCode, `${path}: ${text}`).toBeLessThan(300)
  return asRecord(JSON.parse(text))
}

/** A results-websocket reader: authenticates, selects, and collects what the server sends. */
function readCampaign(url: string, token: string, campaignId: number) {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/fleet/results/websocket`)
  const messages: { type: string; data: unknown }[] = []
  socket.on('open', () => {
    socket.send(JSON.stringify({ type: 'auth', data: { token } }))
    socket.send(JSON.stringify({ type: 'select_campaign', data: { campaign_id: campaignId } }))
  })
  socket.on('message', (data: WebSocket.RawData) => {
    const parsed = asRecord(JSON.parse(String(data)))
    messages.push({ type: String(parsed.type), data: parsed.data })
  })
  return { messages, close: () => socket.close() }
}

describe.skipIf(!ENABLED)('live queries across fleet serve processes (MariaDB + Redis)', () => {
  let env: Record<string, string>
  let drop: () => Promise<void>
  const instances: Instance[] = []
  let token: string

  beforeAll(async () => {
    assertBuilt()
    const database = await createEmptyDatabase('mysql')
    drop = database.drop
    const target = database.target
    if (target.dialect !== 'mysql') {
      throw new Error('unreachable')
    }
    const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
    env = {
      FLEET_MYSQL_ADDRESS: `${target.host}:${target.port}`,
      FLEET_MYSQL_USERNAME: target.user,
      FLEET_MYSQL_PASSWORD: target.password,
      FLEET_MYSQL_DATABASE: target.database,
      FLEET_REDIS_ADDRESS: `${redis.hostname}:${redis.port || '6379'}`,
      FLEET_AUTH_SCRYPT_COST: '10',
    }
    await prepareDb(env)
  })
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()))
    await drop?.()
  })

  it('collects on one instance what hosts answer on another, and new instances take over', async () => {
    const [a, b] = await Promise.all([serve(env), serve(env)])
    instances.push(a, b)
    const setup = await call(a.url, '/api/v1/setup', {
      admin: { email: 'admin@example.com', name: 'Admin', password: 'e2e-password-123!' },
      org_info: { org_name: 'Live' },
    })
    token = String(setup.token)
    await call(
      a.url,
      '/api/latest/fleet/spec/enroll_secret',
      {
        spec: { secrets: [{ secret: SECRET }] },
      },
      token,
    )
    const enrolled = await call(b.url, '/api/osquery/enroll', {
      enroll_secret: SECRET,
      host_identifier: 'e2e-live-host',
      host_details: {
        system_info: { hostname: 'e2e-live-host', uuid: 'E2E-LIVE-1' },
        osquery_info: { uuid: 'E2E-LIVE-1' },
      },
    })
    const nodeKey = String(enrolled.node_key)
    const host = asRecord(
      (await call(a.url, '/api/latest/fleet/hosts/identifier/E2E-LIVE-1', undefined, token)).host,
    )
    const liveOn = async (url: string) => {
      const read = await call(url, '/api/osquery/distributed/read', { node_key: nodeKey })
      return Object.keys(asRecord(read.queries))
        .filter((name) => name.startsWith(PREFIX))
        .map((name) => Number(name.slice(PREFIX.length)))
    }
    const answer = (url: string, id: number, rows: unknown[]) =>
      call(url, '/api/osquery/distributed/write', {
        node_key: nodeKey,
        queries: { [`${PREFIX}${id}`]: rows },
        statuses: { [`${PREFIX}${id}`]: 0 },
      })
    const startCampaign = async () => {
      const created = await call(
        a.url,
        '/api/latest/fleet/queries/run',
        {
          query: 'SELECT version FROM osquery_info',
          selected: { hosts: [host.id] },
        },
        token,
      )
      return Number(asRecord(created.campaign).id)
    }

    // Created on A, read on A, answered on B.
    const first = await startCampaign()
    const reader = readCampaign(a.url, token, first)
    await waitFor('the campaign status on A', async () =>
      reader.messages.some((m) => m.type === 'status'),
    )
    await waitFor('B to ask its hosts', async () => (await liveOn(b.url)).includes(first))
    await answer(b.url, first, [{ version: '5.12.1' }])
    const result = await waitFor('the result on A', async () =>
      reader.messages.find((m) => m.type === 'result'),
    )
    expect(result.data).toMatchObject({
      distributed_query_execution_id: first,
      host: { id: host.id, hostname: 'e2e-live-host' },
      rows: [{ version: '5.12.1', host_hostname: 'e2e-live-host' }],
      error: null,
    })
    // Answered on B: A doesn't ask again; the reader leaving ends it on B too.
    await waitFor('A to stop asking', async () => !(await liveOn(a.url)).includes(first))
    reader.close()

    // B restarts while a second campaign runs: the new B takes it up from the database.
    await b.stop()
    const second = await startCampaign()
    const secondReader = readCampaign(a.url, token, second)
    const restarted = await serve(env)
    instances.push(restarted)
    expect(await liveOn(restarted.url)).toEqual([second])
    await answer(restarted.url, second, [{ version: '5.13.0' }])
    await waitFor('the second result', async () =>
      secondReader.messages.find((m) => m.type === 'result'),
    )
    secondReader.close()
    await waitFor(
      'the restarted B to stop asking',
      async () => (await liveOn(restarted.url)).length === 0,
    )
  })
})
