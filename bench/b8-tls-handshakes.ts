/**
 * B8 — TLS handshakes with the default ECDSA P-256 certificate against an RSA-2048 one, one run.
 *
 *   npm run bench:b8 [-- --seconds 10 --concurrency 32]
 *
 * Starts `fleet serve` twice on embedded SQLite: once with the certificate it generates by default
 * (ECDSA P-256) and once with an RSA-2048 certificate made here. Against each, `concurrency`
 * clients open full TLS connections (no session resumption, TLS 1.3 as osquery and orbit
 * negotiate) and close them as soon as the handshake completes, for `seconds` seconds.
 *
 * The figure is handshakes per second of server CPU (the server process's user + system time from
 * /proc), ECDSA ÷ RSA: what one server core can accept. Raw handshakes/s are printed too, but on
 * this 2-core machine the clients share the cores, and a client verifying an ECDSA signature works
 * harder than one verifying RSA, so the raw ratio understates the server's gain. Goal ≥ 4.
 *
 * Then the empty check-in (`distributed/read`, 64 quiet hosts) over keep-alive connections:
 * req/s over TLS (ECDSA) ÷ req/s over plain HTTP, each on a fresh `fleet serve`. Goal ≥ 0.7.
 */
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { KeyObject, webcrypto } from 'node:crypto'
import { connect } from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { cpuSeconds } from './lib/cpu.js'
import { postLoad } from './lib/load.js'
import { startAndWaitForUrl, type Running } from './lib/processes.js'
import { enrollQuietHosts } from './lib/quiet-hosts.js'

x509.cryptoProvider.set(webcrypto)

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
  },
})
const SECONDS = Number(values.seconds)
const CONCURRENCY = Number(values.concurrency)

interface Measurement {
  handshakes: number
  errors: number
  seconds: number
  serverCpu: number
}

/** A self-signed RSA-2048 server certificate for 127.0.0.1, written to `dir`. */
async function writeRsaCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  }
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=127.0.0.1',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: algorithm,
    keys,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }])],
  })
  const paths = { cert: join(dir, 'rsa.crt'), key: join(dir, 'rsa.key') }
  writeFileSync(paths.cert, cert.toString('pem'))
  writeFileSync(paths.key, KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }))
  return paths
}

function startServer(env: Record<string, string>): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-b8-'))
  return startAndWaitForUrl(
    process.execPath,
    ['packages/server/bin/fleet.js', 'serve', '--server_address', '127.0.0.1:0'],
    { FLEET_DATA_DIR: dataDir, FLEET_AUTH_SCRYPT_COST: '10', ...env },
  )
}

/** One full handshake; resolves true when it completed. */
function handshake(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

async function measure(server: Running, seconds: number): Promise<Measurement> {
  const port = Number(new URL(server.url).port)
  const pid = server.child.pid ?? 0
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  const cpuBefore = cpuSeconds(pid)
  let handshakes = 0
  let errors = 0
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      if (await handshake(port)) {
        handshakes += 1
      } else {
        errors += 1
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, loop))
  return {
    handshakes,
    errors,
    seconds: (performance.now() - started) / 1000,
    serverCpu: cpuSeconds(pid) - cpuBefore,
  }
}

async function run(label: string, env: Record<string, string>): Promise<Measurement> {
  const server = await startServer(env)
  try {
    await measure(server, 2) // warm-up: JIT, session caches, TCP
    const result = await measure(server, SECONDS)
    const perSecond = result.handshakes / result.seconds
    const perCore = result.handshakes / result.serverCpu
    process.stdout.write(
      `${label}: ${Math.round(perSecond)} handshakes/s, server CPU ${result.serverCpu.toFixed(2)} s ` +
        `→ ${Math.round(perCore)} handshakes per server core-second, ${result.errors} errors\n`,
    )
    return result
  } finally {
    await server.stop()
  }
}

/** Empty check-ins per second over keep-alive connections, after a 2 s warm-up. */
async function keepAliveCheckIns(label: string, env: Record<string, string>): Promise<number> {
  const server = await startServer(env)
  try {
    const keys = await enrollQuietHosts(server.url, 64)
    const bodies = keys.map((key) => JSON.stringify({ node_key: key }))
    const url = `${server.url}/api/osquery/distributed/read`
    await postLoad(url, bodies, { connections: 64, seconds: 2 })
    const result = await postLoad(url, bodies, { connections: 64, seconds: SECONDS })
    process.stdout.write(
      `${label}: ${Math.round(result.rps)} empty check-ins/s, p99 ${result.p99} ms, ` +
        `${result.errors + result.non2xx} errors\n`,
    )
    return result.rps
  } finally {
    await server.stop()
  }
}

async function main(): Promise<void> {
  const rsa = await writeRsaCertificate(mkdtempSync(join(tmpdir(), 'fleet-b8-rsa-')))
  const ecdsa = await run('ECDSA P-256 (default)', {})
  const rsaResult = await run('RSA-2048', {
    FLEET_SERVER_CERT: rsa.cert,
    FLEET_SERVER_KEY: rsa.key,
  })
  const perCore = (m: Measurement) => m.handshakes / m.serverCpu
  const perSecond = (m: Measurement) => m.handshakes / m.seconds
  process.stdout.write(
    `B8 ratio ECDSA ÷ RSA: ${(perCore(ecdsa) / perCore(rsaResult)).toFixed(2)} per server core ` +
      `(goal ≥ 4); ${(perSecond(ecdsa) / perSecond(rsaResult)).toFixed(2)} in raw handshakes/s ` +
      `with the clients on the same cores\n`,
  )
  const tls = await keepAliveCheckIns('keep-alive check-ins over TLS (ECDSA)', {})
  const plain = await keepAliveCheckIns('keep-alive check-ins over plain HTTP', {
    FLEET_SERVER_TLS: 'false',
  })
  process.stdout.write(`B8 keep-alive TLS ÷ plain: ${(tls / plain).toFixed(2)} (goal ≥ 0.7)\n`)
}

await main()
