import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { stopAfterTest, stopProcesses } from '@fleet/test-support'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEmptyDatabase } from '../../packages/server/src/test-utils/databases.js'
import {
  asRecord,
  assertBuilt,
  FLEET_BIN,
  jsonClient,
  ROOT,
  startFleetServer,
  type RunningServer,
} from './support.js'

const PASSWORD = 'e2e-password-123!'

/** Runs the built `fleet` binary to completion. */
function fleet(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = stopAfterTest(
    spawn(process.execPath, [FLEET_BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })))
}

const client = jsonClient

// Every process a test started, even one whose test timed out before its finally.
afterEach(stopProcesses)

// One server's life, in order even under --sequence.shuffle: first start, first admin, restart.
describe('fleet serve, end to end over HTTPS', { shuffle: false }, () => {
  let dataDir: string
  let server: RunningServer
  beforeAll(async () => {
    assertBuilt()
    dataDir = mkdtempSync(join(tmpdir(), 'fleet-e2e-'))
    server = await startFleetServer(dataDir)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('serves the API with a self-signed P-256 certificate and says how to create the first user', () => {
    expect(server.output()).toContain('No users yet. Create the first admin with:')
    expect(server.output()).toContain('fleetctl setup')
  })

  it('runs the first-admin script: setup, login, team, observer, team secret; the observer is refused', async () => {
    const ca = readFileSync(join(dataDir, 'tls', 'server.crt'), 'utf8')
    const api = client(server.url, ca)
    const setup = await api('POST', '/api/v1/setup', {
      admin: {
        admin: true,
        email: 'admin@example.com',
        name: 'Admin',
        password: PASSWORD,
        password_confirmation: PASSWORD,
      },
      org_info: { org_name: 'E2E' },
      server_url: server.url,
    })
    expect(setup.status).toBe(200)
    const login = await api('POST', '/api/latest/fleet/login', {
      email: 'admin@example.com',
      password: PASSWORD,
    })
    expect(login.status).toBe(200)
    const admin = String(login.json.token)
    const team = await api('POST', '/api/latest/fleet/teams', { name: 'Servers' }, admin)
    expect(team.status).toBe(200)
    const teamId = Number(asRecord(team.json.team).id)
    const observer = await api(
      'POST',
      '/api/latest/fleet/users/admin',
      { name: 'Olga', email: 'olga@example.com', password: PASSWORD, global_role: 'observer' },
      admin,
    )
    expect(observer.status).toBe(200)
    const secret = await api(
      'PATCH',
      `/api/latest/fleet/teams/${teamId}/secrets`,
      { secrets: [{ secret: 'servers-enroll-secret' }] },
      admin,
    )
    expect(secret.status).toBe(200)

    const olga = String(
      (
        await api('POST', '/api/latest/fleet/login', {
          email: 'olga@example.com',
          password: PASSWORD,
        })
      ).json.token,
    )
    expect((await api('GET', '/api/latest/fleet/teams', undefined, olga)).status).toBe(200)
    for (const [method, path, body] of [
      ['POST', '/api/latest/fleet/teams', { name: 'Mine' }],
      ['GET', `/api/latest/fleet/teams/${teamId}/secrets`, undefined],
      ['PATCH', `/api/latest/fleet/teams/${teamId}/secrets`, { secrets: [] }],
      [
        'POST',
        '/api/latest/fleet/users/admin',
        { name: 'X', email: 'x@example.com', password: PASSWORD, global_role: 'admin' },
      ],
      ['PATCH', '/api/latest/fleet/config', { org_info: { org_name: 'Mine' } }],
    ] as const) {
      const res = await api(method, path, body, olga)
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.json).toMatchObject({ message: 'Permission Denied', errors: [{ name: 'base' }] })
    }
  })

  it('keeps its data and certificate across restarts', async () => {
    const before = readFileSync(join(dataDir, 'tls', 'server.crt'), 'utf8')
    await server.stop()
    server = await startFleetServer(dataDir)
    expect(readFileSync(join(dataDir, 'tls', 'server.crt'), 'utf8')).toBe(before)
    expect(server.output()).not.toContain('No users yet')
    const api = client(server.url, before)
    expect(
      (
        await api('POST', '/api/latest/fleet/login', {
          email: 'olga@example.com',
          password: PASSWORD,
        })
      ).status,
    ).toBe(200)
  })
})

describe('fleet command line', () => {
  beforeAll(() => assertBuilt())

  it('prints its version', async () => {
    const res = await fleet(['version'])
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^fleet version \d+\.\d+\.\d+\n$/)
  })

  it('stops on a bad config value with one line naming the key', async () => {
    const res = await fleet(['serve', '--server_tls', 'maybe'])
    expect(res.code).toBe(1)
    expect(res.stderr.trim().split('\n')).toEqual([
      'fleet: config server.tls (FLEET_SERVER_TLS, --server_tls): expected true or false',
    ])
    const env = await fleet(['serve'], { FLEET_SERVER_ADDRESS: 'localhost' })
    expect(env.code).toBe(1)
    expect(env.stderr).toContain('config server.address (FLEET_SERVER_ADDRESS, --server_address)')
  })
})

const SQL_DIALECTS = (process.env.DIALECTS ?? 'sqlite')
  .split(',')
  .filter((d): d is 'mysql' | 'postgres' => d === 'mysql' || d === 'postgres')

describe.each(SQL_DIALECTS)('fleet prepare db and serve on %s', (dialect) => {
  let drop: () => Promise<void>
  let env: Record<string, string>
  beforeAll(async () => {
    assertBuilt()
    const database = await createEmptyDatabase(dialect)
    drop = database.drop
    const target = database.target
    if (target.dialect === 'sqlite') {
      throw new Error('unreachable')
    }
    const prefix = dialect === 'mysql' ? 'FLEET_MYSQL' : 'FLEET_POSTGRES'
    env = {
      [`${prefix}_ADDRESS`]: `${target.host}:${target.port}`,
      [`${prefix}_USERNAME`]: target.user,
      [`${prefix}_PASSWORD`]: target.password,
      [`${prefix}_DATABASE`]: target.database,
      FLEET_DATA_DIR: mkdtempSync(join(tmpdir(), 'fleet-e2e-sql-')),
    }
  })
  afterAll(() => drop?.())

  it('exits 1 after releasing what it opened when Redis is down or the port is taken', async () => {
    // A database of its own: the test beside it needs one with migrations still pending.
    const own = await createEmptyDatabase(dialect)
    try {
      const prefix = dialect === 'mysql' ? 'FLEET_MYSQL' : 'FLEET_POSTGRES'
      const ownEnv = {
        ...env,
        [`${prefix}_DATABASE`]: own.target.dialect === 'sqlite' ? '' : own.target.database,
      }
      expect((await fleet(['prepare', 'db'], ownEnv)).code).toBe(0)
      // Nothing listens on port 1: Redis is "down". Before, the database pool kept the process alive.
      const noRedis = await fleet(['serve', '--server_address', '127.0.0.1:0'], {
        ...ownEnv,
        FLEET_REDIS_ADDRESS: '127.0.0.1:1',
      })
      expect(noRedis.code).toBe(1)
      expect(noRedis.stderr).toMatch(/ECONNREFUSED|redis/i)
      const taken = createNetServer()
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
      try {
        const address = taken.address()
        const port = typeof address === 'object' && address ? address.port : 0
        const busy = await fleet(['serve', '--server_address', `127.0.0.1:${port}`], ownEnv)
        expect(busy.code).toBe(1)
        expect(busy.stderr).toContain('EADDRINUSE')
      } finally {
        await new Promise((resolve) => taken.close(resolve))
      }
    } finally {
      await own.drop()
    }
  })

  it('refuses to serve a database with pending migrations, then serves once prepared', async () => {
    const refused = await fleet(['serve', '--server_address', '127.0.0.1:0'], env)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/pending migration.*fleet prepare db/)
    const prepared = await fleet(['prepare', 'db'], env)
    expect(prepared.code).toBe(0)
    expect(prepared.stdout).toContain('Migrations completed.')
    const again = await fleet(['prepare', 'db'], env)
    expect(again.stdout).toContain('is up to date')
    const child = stopAfterTest(
      spawn(
        process.execPath,
        [FLEET_BIN, 'serve', '--server_address', '127.0.0.1:0', '--server_tls', 'false'],
        {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      ),
    )
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString()
          const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out)
          if (match) {
            resolve(match[0])
          }
        })
        child.once('exit', (code) => reject(new Error(`fleet serve exited with ${code}: ${out}`)))
      })
      const res = await request(`${url}/api/v1/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          admin: { email: 'a@example.com', name: 'A', password: PASSWORD },
          org_info: { org_name: dialect },
        }),
      })
      expect(res.statusCode).toBe(200)
      await res.body.dump()
    } finally {
      child.kill('SIGTERM')
    }
  })
})
