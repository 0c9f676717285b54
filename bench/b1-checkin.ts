/**
 * B1 — the check-in hot path against bare HTTP, measured in the same run on this machine.
 *
 *   npm run bench:b1 [-- --seconds 10 --connections 64 --hosts 64]
 *
 * 1. Requests/s of authenticated, empty `POST /api/osquery/distributed/read` on a real
 *    `fleet serve` (embedded SQLite, plain HTTP so both sides skip TLS), divided by the
 *    requests/s of a bare node:http JSON server under the same load. Goal ≥ 0.45.
 * 2. SQL statements per empty check-in, counted on an in-process server. Goal 0 (the batched
 *    seen-time flush is reported separately, amortized over the check-ins it covers).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fixtureBlock } from '../packages/server/src/test-utils/osquery-fixtures.js'
import { startTestServer } from '../packages/server/src/test-utils/test-server.js'
import { postLoad, type LoadResult } from './lib/load.js'
import { startAndWaitForUrl } from './lib/processes.js'
import { BENCH_SECRET as SECRET, enrollQuietHosts } from './lib/quiet-hosts.js'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    hosts: { type: 'string', default: '64' },
  },
})
const SECONDS = Number(values.seconds)
const CONNECTIONS = Number(values.connections)
const HOSTS = Number(values.hosts)

async function measure(name: string, url: string, bodies: string[]): Promise<LoadResult> {
  await postLoad(url, bodies, { connections: CONNECTIONS, seconds: 2 })
  const result = await postLoad(url, bodies, { connections: CONNECTIONS, seconds: SECONDS })
  process.stdout.write(
    `${name.padEnd(34)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  errors ${result.errors + result.non2xx}/${result.total}\n`,
  )
  return result
}

async function statementsPerEmptyCheckIn(): Promise<{
  perCheckIn: number
  flushStatements: number
  checkIns: number
}> {
  const t = await startTestServer('sqlite')
  try {
    const token = await t.setupAdmin()
    await t.request('POST', '/api/latest/fleet/spec/enroll_secret', {
      token,
      body: { spec: { secrets: [{ secret: SECRET }] } },
    })
    const enrolled = await t.request('POST', '/api/osquery/enroll', {
      body: fixtureBlock('ubuntu_22.04', 'enroll', {
        uuid: 'SQL-COUNT',
        hostname: 'sql-count',
        enrollSecret: SECRET,
      }),
    })
    const nodeKey = String(enrolled.data().node_key)
    const read = await t.request('POST', '/api/osquery/distributed/read', {
      body: { node_key: nodeKey },
    })
    const names = Object.keys(
      typeof read.data().queries === 'object' && read.data().queries !== null
        ? (read.data().queries as object)
        : {},
    )
    await t.request('POST', '/api/osquery/distributed/write', {
      body: {
        node_key: nodeKey,
        queries: Object.fromEntries(names.map((n) => [n, []])),
        statuses: {},
      },
    })
    await t.server.agents.seen.flush()
    const checkIns = 1000
    const before = t.database.queries.length
    for (let i = 0; i < checkIns; i++) {
      t.clock.advance(10)
      await t.request('POST', '/api/osquery/distributed/read', { body: { node_key: nodeKey } })
    }
    const duringCheckIns = t.database.queries.length - before
    await t.server.agents.seen.flush()
    return {
      perCheckIn: duringCheckIns / checkIns,
      flushStatements: t.database.queries.length - before - duringCheckIns,
      checkIns,
    }
  } finally {
    await t.close()
  }
}

async function main(): Promise<void> {
  process.stdout.write(
    `B1: ${HOSTS} hosts, ${CONNECTIONS} connections, ${SECONDS} s per measurement\n`,
  )
  const fleet = await startAndWaitForUrl(
    process.execPath,
    [
      'packages/server/bin/fleet.js',
      'serve',
      '--data-dir',
      mkdtempSync(join(tmpdir(), 'fleet-b1-')),
      '--server_address',
      '127.0.0.1:0',
      '--server_tls',
      'false',
    ],
    { FLEET_AUTH_SCRYPT_COST: '10' },
  )
  let fleetResult: LoadResult
  let bodies: string[]
  try {
    bodies = (await enrollQuietHosts(fleet.url, HOSTS)).map((key) =>
      JSON.stringify({ node_key: key }),
    )
    fleetResult = await measure(
      'fleet distributed/read (empty)',
      `${fleet.url}/api/osquery/distributed/read`,
      bodies,
    )
  } finally {
    await fleet.stop()
  }
  const bare = await startAndWaitForUrl(process.execPath, [
    '--import',
    'tsx',
    'bench/lib/bare-server.ts',
  ])
  let bareResult: LoadResult
  try {
    bareResult = await measure('bare node:http JSON (baseline)', bare.url, bodies)
  } finally {
    await bare.stop()
  }
  const sql = await statementsPerEmptyCheckIn()
  const ratio = fleetResult.rps / bareResult.rps
  process.stdout.write(`ratio fleet / bare: ${ratio.toFixed(2)} (goal ≥ 0.45)\n`)
  process.stdout.write(
    `SQL statements per empty check-in: ${sql.perCheckIn} over ${sql.checkIns} check-ins (goal 0); seen-time flush afterwards: ${sql.flushStatements} statement(s) for all of them\n`,
  )
  process.stdout.write(
    `${JSON.stringify({ bench: 'B1', fleet_rps: Math.round(fleetResult.rps), bare_rps: Math.round(bareResult.rps), ratio: Number(ratio.toFixed(3)), fleet_p99_ms: fleetResult.p99, errors: fleetResult.errors + fleetResult.non2xx, sql_per_empty_checkin: sql.perCheckIn })}\n`,
  )
}

await main()
