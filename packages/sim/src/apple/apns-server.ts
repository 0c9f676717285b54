import { randomUUID } from 'node:crypto'
import {
  constants,
  createSecureServer,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2'
import type { AddressInfo } from 'node:net'
import type { ApnsPki } from './apns-pki.js'

/** How the fake answers one push: 200, or an APNs error status and reason. */
export type ApnsAnswer = { status: 200 } | { status: number; reason: string }

/** Decides the answer to `POST /3/device/<token>` with body `body` (parsed JSON or undefined). */
export type PushRouter = (
  tokenHex: string,
  body: unknown,
  headers: IncomingHttpHeaders,
) => ApnsAnswer

export interface ApnsServerOptions {
  pki: ApnsPki
  /** 0 for any free port. */
  port: number
  host?: string
  route: PushRouter
}

export interface ApnsServer {
  /** `https://127.0.0.1:<port>`: Fleet's `FLEET_MDM_APPLE_APNS_URL`. */
  url: string
  port: number
  close(): Promise<void>
}

const MAX_BODY = 4096 // APNs' own payload limit

/**
 * A stand-in for Apple's push gateway: HTTP/2 over TLS, a client certificate issued by the
 * pki's CA required (as Apple requires the push certificate it issued; others fail the TLS
 * handshake), `POST /3/device/<hex token>` with `{"mdm":"<PushMagic>"}` handed to `route`.
 * Other paths answer 404 `BadPath`, other methods 405, a body that is no JSON 400 `BadPayload`,
 * an empty one 400 `PayloadEmpty` — Apple's reasons.
 */
export async function startApnsServer(options: ApnsServerOptions): Promise<ApnsServer> {
  const server = createSecureServer({
    cert: options.pki.server.certPem,
    key: options.pki.server.keyPem,
    ca: options.pki.ca.certPem,
    requestCert: true,
    rejectUnauthorized: true,
  })
  const sessions = new Set<ServerHttp2Session>()
  server.on('session', (session) => {
    sessions.add(session)
    session.on('close', () => sessions.delete(session))
  })
  server.on('stream', (stream, headers) => handleStream(stream, headers, options.route))
  // A refused handshake (a certificate of another CA) must not stop the server.
  server.on('tlsClientError', () => undefined)
  server.on('sessionError', () => undefined)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `https://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const session of sessions) {
          session.destroy() // an open client session would keep close() waiting
        }
      }),
  }
}

function handleStream(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  route: PushRouter,
): void {
  const chunks: Buffer[] = []
  let size = 0
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size <= MAX_BODY) {
      chunks.push(chunk)
    }
  })
  stream.on('end', () => {
    const path = String(headers[constants.HTTP2_HEADER_PATH] ?? '')
    const token = /^\/3\/device\/([0-9a-fA-F]+)$/.exec(path)?.[1]
    if (token === undefined) {
      return respond(stream, { status: 404, reason: 'BadPath' })
    }
    if (headers[constants.HTTP2_HEADER_METHOD] !== 'POST') {
      return respond(stream, { status: 405, reason: 'MethodNotAllowed' })
    }
    if (size > MAX_BODY) {
      return respond(stream, { status: 413, reason: 'PayloadTooLarge' })
    }
    const text = Buffer.concat(chunks).toString('utf8')
    if (text === '') {
      return respond(stream, { status: 400, reason: 'PayloadEmpty' })
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return respond(stream, { status: 400, reason: 'BadPayload' })
    }
    respond(stream, route(token.toLowerCase(), body, headers))
  })
}

function respond(stream: ServerHttp2Stream, answer: ApnsAnswer): void {
  const apnsId = randomUUID().toUpperCase()
  if (!('reason' in answer)) {
    stream.respond({ ':status': 200, 'apns-id': apnsId })
    stream.end()
    return
  }
  stream.respond({
    ':status': answer.status,
    'apns-id': apnsId,
    'content-type': 'application/json',
  })
  stream.end(JSON.stringify({ reason: answer.reason, timestamp: Date.now() }))
}
