/**
 * Enrolled hosts with nothing left to do, for benchmarks of the empty check-in: sets up a fresh
 * `fleet serve`, enrolls `count` Ubuntu hosts from the osquery-perf template and answers their
 * first detail queries, so every later `distributed/read` of theirs is empty.
 */
import { Agent, request } from 'undici'
import { fixtureBlock } from '../../packages/server/src/test-utils/osquery-fixtures.js'

const PASSWORD = 'bench-password-1!'
export const BENCH_SECRET = 'bench-enroll-secret'
const SECRET = BENCH_SECRET

/** Accepts the server's self-signed certificate (benchmarks talk to 127.0.0.1 only). */
const insecure = new Agent({ connect: { rejectUnauthorized: false } })

async function post(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await request(url, {
    dispatcher: insecure,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  const json: unknown = await res.body.json()
  if (res.statusCode >= 300) {
    throw new Error(`${url}: ${res.statusCode} ${JSON.stringify(json)}`)
  }
  return typeof json === 'object' && json !== null ? Object.fromEntries(Object.entries(json)) : {}
}

/** Enrolls hosts and answers their first detail queries, so every later read is empty. */
export async function enrollQuietHosts(url: string, count: number): Promise<string[]> {
  const setup = await post(`${url}/api/v1/setup`, {
    admin: { email: 'bench@example.com', name: 'Bench', password: PASSWORD },
    org_info: { org_name: 'Bench' },
  })
  await post(
    `${url}/api/latest/fleet/spec/enroll_secret`,
    { spec: { secrets: [{ secret: SECRET }] } },
    String(setup.token),
  )
  const keys: string[] = []
  for (let n = 0; n < count; n++) {
    const enrolled = await post(
      `${url}/api/osquery/enroll`,
      fixtureBlock('ubuntu_22.04', 'enroll', {
        uuid: `BENCH-${n}`,
        hostname: `bench-${n}`,
        enrollSecret: SECRET,
      }),
    )
    const nodeKey = String(enrolled.node_key)
    const read = await post(`${url}/api/osquery/distributed/read`, { node_key: nodeKey })
    const names = Object.keys(
      typeof read.queries === 'object' && read.queries !== null ? read.queries : {},
    )
    await post(`${url}/api/osquery/distributed/write`, {
      node_key: nodeKey,
      queries: Object.fromEntries(names.map((name) => [name, []])),
      statuses: {},
    })
    const again = await post(`${url}/api/osquery/distributed/read`, { node_key: nodeKey })
    if (JSON.stringify(again) !== '{"queries":{},"discovery":{}}') {
      throw new Error(`host ${n} still has work: ${JSON.stringify(again)}`)
    }
    keys.push(nodeKey)
  }
  return keys
}
