import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  AppleFleet,
  createApnsPki,
  startApnsServer,
  type AppleFleetOptions,
  type ApnsServer,
} from '@fleet/sim'
import { stopAfterTest } from '@fleet/test-support'
import { createEmptyDatabase } from '../../../packages/server/src/test-utils/databases.js'
import {
  adminApi,
  FLEET_BIN,
  fleetctlIn,
  ROOT,
  startFleetServer,
  type RunningServer,
} from '../support.js'

export type LabDialect = 'sqlite' | 'mysql' | 'postgres'

/** The dialects an end-to-end MDM test runs on: SQLite, plus those DIALECTS names. */
export const LAB_DIALECTS: LabDialect[] = [
  'sqlite',
  ...(process.env.DIALECTS ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d): d is 'mysql' | 'postgres' => d === 'mysql' || d === 'postgres'),
]

/**
 * `fleet serve` (on `dialect`) with Apple MDM on, its pushes going to the simulator's fake APNs,
 * which wakes the simulated Macs of `fleet`; fleetctl logged in as the admin.
 */
export interface AppleLab {
  dir: string
  server: RunningServer
  apns: ApnsServer
  fleet: AppleFleet
  api: Awaited<ReturnType<typeof adminApi>>
  ok(...args: string[]): Promise<string>
  stop(): Promise<void>
}

const PASSWORD = 'admin-p4ssw0rd!'

async function databaseEnv(dialect: LabDialect) {
  if (dialect === 'sqlite') {
    return { env: {}, drop: () => Promise.resolve() }
  }
  const database = await createEmptyDatabase(dialect)
  const target = database.target
  if (target.dialect === 'sqlite') {
    throw new Error('unreachable')
  }
  const prefix = dialect === 'mysql' ? 'FLEET_MYSQL' : 'FLEET_POSTGRES'
  const env = {
    [`${prefix}_ADDRESS`]: `${target.host}:${target.port}`,
    [`${prefix}_USERNAME`]: target.user,
    [`${prefix}_PASSWORD`]: target.password,
    [`${prefix}_DATABASE`]: target.database,
    // the MDM assets are sealed with it (SQLite's embedded default generates one in the data dir)
    FLEET_SERVER_PRIVATE_KEY: randomBytes(32).toString('hex'),
  }
  await prepareDb(env)
  return { env, drop: database.drop }
}

function prepareDb(env: Record<string, string>): Promise<void> {
  const child = stopAfterTest(
    spawn(process.execPath, [FLEET_BIN, 'prepare', 'db'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
  return new Promise((resolve, reject) =>
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`fleet prepare db: ${output}`)),
    ),
  )
}

/**
 * Starts everything (a failed start stops what it started). `devices` are the fleet's options
 * but for the server URL, token, CA and seed, which the lab fills in.
 */
export async function startAppleLab(
  dialect: LabDialect,
  enrollSecret: string,
  devices: Omit<AppleFleetOptions, 'serverUrl' | 'enrollToken' | 'ca' | 'seed'>,
): Promise<AppleLab> {
  const dir = await mkdtemp(join(tmpdir(), `fleet-e2e-mdm-lab-${dialect}-`))
  const cleanups: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })]
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch(() => undefined)
    }
  }
  try {
    const pki = await createApnsPki(`com.apple.mgmt.External.${randomUUID()}`)
    // the devices exist once the server does; pushes before that name no device
    const routeTo: { fleet?: AppleFleet } = {}
    const apns = await startApnsServer({
      pki,
      port: 0,
      route: (token, body) =>
        routeTo.fleet?.push(token, body) ?? { status: 400, reason: 'BadDeviceToken' },
    })
    cleanups.push(() => apns.close())
    await writeFile(join(dir, 'apns-ca.pem'), pki.ca.certPem)
    const database = await databaseEnv(dialect)
    cleanups.push(database.drop)
    const server = await startFleetServer(join(dir, 'data'), 60_000, {
      ...database.env,
      FLEET_MDM_APPLE_APNS_URL: apns.url,
      NODE_EXTRA_CA_CERTS: join(dir, 'apns-ca.pem'),
    })
    cleanups.push(() => server.stop())
    const api = await adminApi(server, join(dir, 'data'), {
      password: PASSWORD,
      orgName: 'MDM Lab',
      enrollSecret,
    })
    await api('PATCH', '/api/latest/fleet/config', { server_settings: { server_url: server.url } })
    const { ok } = fleetctlIn(
      () => dir,
      () => server,
    )
    await ok('config', 'set', '--address', server.url, '--tls-skip-verify')
    await ok('login', '--email', 'admin@example.com', '--password', PASSWORD)
    await writeFile(join(dir, 'push.pem'), pki.push.certPem)
    await writeFile(join(dir, 'push.key'), pki.push.keyPem)
    await ok(
      'mdm',
      'upload-apns-certificate',
      '--certificate',
      'push.pem',
      '--private-key',
      'push.key',
    )
    const fleet = new AppleFleet({
      ...devices,
      serverUrl: server.url,
      enrollToken: enrollSecret,
      ca: await readFile(join(dir, 'data', 'tls', 'server.crt'), 'utf8'),
      seed: 11,
    })
    routeTo.fleet = fleet
    cleanups.push(async () => void (await fleet.stop()))
    return { dir, server, apns, fleet, api, ok, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
