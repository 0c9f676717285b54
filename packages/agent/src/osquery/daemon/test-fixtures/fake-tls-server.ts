import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { gunzipSync, gzipSync } from 'node:zlib'

/** The self-signed certificate (CN=localhost, IP 127.0.0.1, valid to 2126) the fake serves. */
export const CERT_PATH = fileURLToPath(new URL('./localhost.crt', import.meta.url))
const KEY_PATH = fileURLToPath(new URL('./localhost.key', import.meta.url))

/** One request the fake received. */
export interface Received {
  path: string
  body: Record<string, unknown>
}

/** A handler's answer: status and JSON body, optionally gzip-encoded. */
export interface Answer {
  status?: number
  body: unknown
  gzip?: boolean
}

/** An osquery TLS server double: records every request, answers through `handle`. */
export interface FakeTlsServer {
  hostname: string
  received: Received[]
  /** Requests to `path`, oldest first. */
  to(path: string): Received[]
  handle: (request: Received) => Answer
  close(): Promise<void>
}

function toRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : {}
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeTlsServer(
  handle: (request: Received) => Answer,
): Promise<FakeTlsServer> {
  const received: Received[] = []
  const fake: FakeTlsServer = {
    hostname: '',
    received,
    to: (path) => received.filter((r) => r.path === path),
    handle,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
  const server: Server = createServer(
    { cert: readFileSync(CERT_PATH), key: readFileSync(KEY_PATH) },
    (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        let raw = Buffer.concat(chunks)
        if (req.headers['content-encoding'] === 'gzip') {
          raw = gunzipSync(raw)
        }
        const request = { path: req.url ?? '', body: toRecord(JSON.parse(raw.toString('utf8'))) }
        received.push(request)
        const answer = fake.handle(request)
        const text = Buffer.from(JSON.stringify(answer.body))
        res.writeHead(answer.status ?? 200, {
          'content-type': 'application/json',
          ...(answer.gzip && { 'content-encoding': 'gzip' }),
        })
        res.end(answer.gzip ? gzipSync(text) : text)
      })
    },
  )
  server.keepAliveTimeout = 100
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address: AddressInfo | string | null = server.address()
  fake.hostname = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  return fake
}
