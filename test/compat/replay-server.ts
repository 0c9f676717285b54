import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assertBuilt, startFleetServer, type RunningServer } from '../e2e/support.js'
import { decodedByGo, goClient } from './go-client.js'

export const ADMIN = { email: 'admin@example.com', name: 'Admin', password: 'replay-p4ssw0rd!' }

export interface ReplayServer {
  server: RunningServer
  dataDir: string
  ca: string
  go: ReturnType<typeof goClient>
  /** The admin's token, from the replayed `fleetctl setup`. */
  token: string
  stop(): Promise<void>
}

/**
 * A real `fleet serve` set up as `fleetctl setup` does it: `Client.Setup` (fleetdm/fleet
 * `server/service/client_setup.go`) POSTs `/api/v1/setup` with `admin` (email, name, password),
 * `org_info.org_name` and `server_url` (the address fleetctl was configured with), by `Do`, so
 * without a token, and needs exactly 200 and a `token`.
 */
export async function startReplayServer(orgName: string): Promise<ReplayServer> {
  assertBuilt()
  const dir = await mkdtemp(join(tmpdir(), 'fleetctl-replay-'))
  const dataDir = join(dir, 'data')
  const server = await startFleetServer(dataDir)
  try {
    const ca = await readFile(join(dataDir, 'tls', 'server.crt'), 'utf8')
    const go = goClient(server.url, ca)
    const setup = await go.send('POST', '/api/v1/setup', {
      body: {
        admin: { email: ADMIN.email, name: ADMIN.name, password: ADMIN.password },
        org_info: { org_name: orgName },
        server_url: server.url,
      },
    })
    if (setup.status !== 200) {
      throw new Error(`setup: ${setup.status} ${setup.text}`)
    }
    const token = decodedByGo(setup).token
    if (typeof token !== 'string' || token === '') {
      throw new Error(`setup answered no token: ${setup.text}`)
    }
    return {
      server,
      dataDir,
      ca,
      go,
      token,
      stop: async () => {
        await go.close()
        await server.stop()
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (err) {
    await server.stop()
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

export function asList(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) {
    throw new Error(`expected a JSON array, got ${JSON.stringify(value)}`)
  }
  return value as Record<string, unknown>[]
}

export function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`expected a JSON object, got ${JSON.stringify(value)}`)
  }
  return value as Record<string, unknown>
}
