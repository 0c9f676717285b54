import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor as poll, stopAfterTest, type PollOptions } from '@fleet/test-support'
import { Agent, request } from 'undici'

/** The repository root (this file is test/e2e/support.ts). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const FLEET_BIN = `${ROOT}packages/server/bin/fleet.js`
export const FLEETCTL_BIN = `${ROOT}packages/cli/bin/fleetctl.js`
export const FLEETD_BIN = `${ROOT}packages/agent/bin/fleetd.js`

/** The e2e tests drive the built binaries; say so plainly when they are missing. */
export function assertBuilt(): void {
  for (const built of [
    'packages/server/dist/main.js',
    'packages/cli/dist/main.js',
    'packages/agent/dist/main.js',
  ]) {
    if (!existsSync(`${ROOT}${built}`)) {
      throw new Error(`${built} is missing: run \`npm run build\` before the e2e tests`)
    }
  }
}

export interface RunningServer {
  /** `https://127.0.0.1:<port>` */
  url: string
  /** Everything the server printed so far, for failure messages. */
  output(): string
  stop(): Promise<void>
}

/**
 * Spawns `fleet serve` on a free port with its own data directory (and `env` on top of the
 * default config, e.g. a database or `FLEET_MDM_APPLE_APNS_URL`) and resolves once it prints
 * the `https://127.0.0.1:<port>` it listens on.
 */
export function startFleetServer(
  dataDir: string,
  timeoutMs = 45_000,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    [FLEET_BIN, 'serve', '--data-dir', dataDir, '--server-address', '127.0.0.1:0'],
    {
      cwd: ROOT,
      // A cheaper password hash keeps the test fast; everything else is the default config
      // but for `env` (a database, an APNs URL…).
      env: { ...withoutFleetEnv(process.env), FLEET_AUTH_SCRYPT_COST: '10', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  return new Promise<RunningServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopChild(child)
      reject(new Error(`fleet serve printed no https URL within ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      const match = /https:\/\/127\.0\.0\.1:(\d+)/.exec(output)
      if (match && match[1] !== '0') {
        clearTimeout(timer)
        resolve({
          url: `https://127.0.0.1:${match[1]}`,
          output: () => output,
          stop: () => stopChild(child),
        })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`fleet serve exited early (code ${code}, signal ${signal}):\n${output}`))
    })
  })
}

/** SIGTERM, then SIGKILL if the server has not exited within 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

function withoutFleetEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('FLEET')))
}

export interface FleetctlResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the built fleetctl with `--config <configPath>` and HOME pointed at `home`. */
export function fleetctl(
  configPath: string,
  home: string,
  args: readonly string[],
): Promise<FleetctlResult> {
  // Registered so a file's stopProcesses hook kills a fleetctl that hangs past its test.
  const child = stopAfterTest(
    spawn(process.execPath, [FLEETCTL_BIN, '--config', configPath, ...args], {
      cwd: home,
      env: { ...withoutFleetEnv(process.env), HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null
    ? Object.fromEntries(Object.entries(value))
    : {}
}

/** A JSON client for the REST API that trusts only the given CA (the server's own certificate). */
export function jsonClient(url: string, ca: string) {
  const dispatcher = new Agent({ connect: { ca } })
  return async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    token?: string,
  ) => {
    const res = await request(`${url}${path}`, {
      method,
      dispatcher,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.body.text()
    const json: unknown = text === '' ? {} : JSON.parse(text)
    return { status: res.statusCode, json: asRecord(json) }
  }
}

/** Real processes on a loaded machine: poll every 250 ms for up to 30 s by default. */
const E2E_POLL: PollOptions = { timeoutMs: 30_000, intervalMs: 250 }

/**
 * The shared `waitFor` of `@fleet/test-support` with end-to-end patience: resolves with `read()`'s
 * first value other than `undefined`/`false`, or fails naming `what`.
 */
export function waitFor<T>(
  what: string,
  read: () => Promise<T | undefined | false>,
  options: PollOptions = {},
): Promise<Exclude<T, undefined | false>> {
  return poll(what, read, { ...E2E_POLL, ...options })
}

/**
 * Sets a fresh server up (first admin, global enroll secret) and returns an admin REST client
 * that fails the test on any non-2xx answer.
 */
export async function adminApi(
  server: RunningServer,
  dataDir: string,
  setup: { password: string; orgName: string; enrollSecret: string },
) {
  const call = jsonClient(server.url, readFileSync(join(dataDir, 'tls', 'server.crt'), 'utf8'))
  const created = await call('POST', '/api/v1/setup', {
    admin: { email: 'admin@example.com', name: 'Admin', password: setup.password },
    org_info: { org_name: setup.orgName },
  })
  const token = String(created.json.token)
  const api = async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> => {
    const res = await call(method, path, body, token)
    if (res.status >= 300) {
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`)
    }
    return res.json
  }
  if (created.status >= 300) {
    throw new Error(`setup: ${created.status} ${JSON.stringify(created.json)}`)
  }
  await api('POST', '/api/latest/fleet/spec/enroll_secret', {
    spec: { secrets: [{ secret: setup.enrollSecret }] },
  })
  return api
}

/**
 * fleetctl with its config and HOME in the directory `dir()` names: `run` returns the result,
 * `ok` its stdout or fails with both outputs and the server's log. Getters, as the directory and
 * server are made in a `beforeAll`.
 */
export function fleetctlIn(dir: () => string, server: () => RunningServer | undefined) {
  const run = (...args: string[]): Promise<FleetctlResult> =>
    fleetctl(join(dir(), 'config'), dir(), args)
  const ok = async (...args: string[]): Promise<string> => {
    const res = await run(...args)
    if (res.code !== 0) {
      throw new Error(
        `fleetctl ${args.join(' ')} exited ${res.code}\nstdout: ${res.stdout}\nstderr: ${res.stderr}\n` +
          `server output:\n${server()?.output() ?? ''}`,
      )
    }
    return res.stdout
  }
  return { run, ok }
}
