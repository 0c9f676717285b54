/**
 * B2's request mix, one kind at a time: server CPU per request for each kind of request a
 * simulated host sends (empty distributed/read, config, a status log post, a result log post of a
 * query the server never sent), against a bare node:http JSON server under the same load —
 * printed as a ratio, so runs on busy or quiet machines compare. Where B2's hosts-per-core moves,
 * this says which request moved it.
 *
 *   npm run bench:b2-costs [-- --seconds 8 --connections 8 --hosts 64]
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { cpuSeconds } from './lib/cpu.js'
import { postLoad } from './lib/load.js'
import { startAndWaitForUrl, type Running } from './lib/processes.js'
import { enrollQuietHosts } from './lib/quiet-hosts.js'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '8' },
    hosts: { type: 'string', default: '64' },
  },
})
const SECONDS = Number(values.seconds)
const CONNECTIONS = Number(values.connections)

/** Server CPU µs per request while `bodies` are posted to `url` (after a 2 s warm-up). */
async function cpuPerRequest(server: Running, url: string, bodies: string[]): Promise<number> {
  const pid = server.child.pid ?? 0
  await postLoad(url, bodies, { connections: CONNECTIONS, seconds: 2 })
  const before = cpuSeconds(pid)
  const result = await postLoad(url, bodies, { connections: CONNECTIONS, seconds: SECONDS })
  if (result.errors + result.non2xx > 0) {
    throw new Error(`${url}: ${result.errors + result.non2xx} failed requests`)
  }
  return ((cpuSeconds(pid) - before) / result.total) * 1e6
}

const DECORATIONS = { host_uuid: 'B2C0575-0000-4000-8000-000000000001', hostname: 'bench-host' }
const TIME = { calendarTime: 'Mon Dec  7 10:00:00 2026 UTC', unixTime: 1796637600 }

/** What a simulated host sends, per kind (osquery's shapes, as fleet-sim sends them). */
function kinds(keys: string[]): [string, string, string[]][] {
  const status = {
    hostIdentifier: 'bench-host',
    ...TIME,
    unixTime: String(TIME.unixTime),
    severity: '0',
    version: '5.12.1',
    decorations: DECORATIONS,
    filename: 'tls.cpp',
    line: '254',
    message: 'TLS/HTTPS POST request to URI: /api/osquery/log',
  }
  const result = {
    name: 'pack/Global/Not a saved query',
    hostIdentifier: 'bench-host',
    ...TIME,
    epoch: 0,
    counter: 1,
    numerics: false,
    decorations: DECORATIONS,
    snapshot: Array.from({ length: 5 }, (_, i) => ({ pid: String(i), name: `proc-${i}` })),
    action: 'snapshot',
  }
  const each = (body: (key: string) => object) => keys.map((key) => JSON.stringify(body(key)))
  return [
    ['distributed/read (empty)', 'distributed/read', each((node_key) => ({ node_key }))],
    ['config', 'config', each((node_key) => ({ node_key }))],
    [
      'log: 2 status lines',
      'log',
      each((node_key) => ({ node_key, log_type: 'status', data: [status, status] })),
    ],
    [
      'log: 1 result (unknown query)',
      'log',
      each((node_key) => ({ node_key, log_type: 'result', data: [result] })),
    ],
  ]
}

async function main(): Promise<void> {
  process.stdout.write(
    `B2 request costs: ${values.hosts} hosts, ${CONNECTIONS} connections, ${SECONDS} s per kind, plain HTTP\n`,
  )
  const fleet = await startAndWaitForUrl(
    process.execPath,
    [
      'packages/server/bin/fleet.js',
      'serve',
      '--data-dir',
      mkdtempSync(join(tmpdir(), 'fleet-b2-costs-')),
      '--server_address',
      '127.0.0.1:0',
      '--server_tls',
      'false',
    ],
    { FLEET_AUTH_SCRYPT_COST: '10' },
  )
  const costs: [string, number][] = []
  let keys: string[]
  try {
    keys = await enrollQuietHosts(fleet.url, Number(values.hosts))
    for (const [name, path, bodies] of kinds(keys)) {
      costs.push([name, await cpuPerRequest(fleet, `${fleet.url}/api/osquery/${path}`, bodies)])
    }
  } finally {
    await fleet.stop()
  }
  const bare = await startAndWaitForUrl(process.execPath, [
    '--import',
    'tsx',
    'bench/lib/bare-server.ts',
  ])
  let baseline: number
  try {
    baseline = await cpuPerRequest(bare, bare.url, kinds(keys)[0]?.[2] ?? [])
  } finally {
    await bare.stop()
  }
  process.stdout.write(
    `${'bare node:http JSON (baseline)'.padEnd(32)} ${baseline.toFixed(0).padStart(5)} µs\n`,
  )
  for (const [name, us] of costs) {
    process.stdout.write(
      `${name.padEnd(32)} ${us.toFixed(0).padStart(5)} µs  ${(us / baseline).toFixed(2)}× baseline\n`,
    )
  }
  process.stdout.write(
    `${JSON.stringify({ bench: 'B2-costs', baseline_us: Math.round(baseline), us_per_request: Object.fromEntries(costs.map(([n, us]) => [n, Math.round(us)])) })}\n`,
  )
}

await main()
