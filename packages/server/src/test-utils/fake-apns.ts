import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  constants,
  createSecureServer,
  type Http2SecureServer,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { createTestPki, type CertAndKey, type TestPki } from './test-pki.js'

/** One push the fake APNs received. */
export interface ReceivedPush {
  /** The hex device token from the path `/3/device/<token>`. */
  token: string
  /** The JSON body, parsed (`{ mdm: PushMagic }` for MDM). */
  body: unknown
  headers: IncomingHttpHeaders
  /** Subject of the client certificate the connection presented (e.g. `UID=com.apple.mgmt…`). */
  clientSubject: string
  apnsId: string
}

/** How the fake answers a token; default 200 with an apns-id. */
export type FakeApnsAnswer = { status: 200 } | { status: number; reason: string }

/**
 * A real APNs stand-in: an HTTP/2 TLS server that requires a client certificate issued by its
 * `pki` CA (as Apple requires the push certificate), records each `POST /3/device/<token>` and
 * answers 200 + `apns-id`, or the status and `{"reason"}` set with `answer(token, …)` (400
 * BadDeviceToken, 410 Unregistered…). Connections with another CA's certificate are refused in
 * the TLS handshake.
 *
 * @example
 * const apns = await startFakeApns()
 * const pushCert = await apns.pki.issueClient('APSP', 'com.apple.mgmt.External.test')
 * // point the pusher at apns.url, trusting apns.pki.ca.certPem
 * afterAll(() => apns.close())
 */
export interface FakeApns {
  url: string
  pki: TestPki
  /**
   * The CA of its server certificate in a file, for a `fleet serve` process:
   * `NODE_EXTRA_CA_CERTS=<caPath>` with `FLEET_MDM_APPLE_APNS_URL=<url>`. Removed by `close`.
   */
  caPath: string
  pushes: ReceivedPush[]
  answer(token: string, answer: FakeApnsAnswer): void
  /** Resolves once `count` pushes in all have arrived. */
  waitForPushes(count: number): Promise<ReceivedPush[]>
  close(): Promise<void>
}

function subjectOf(stream: ServerHttp2Stream): string {
  const socket = stream.session?.socket as TLSSocket | undefined
  const cert = socket?.getPeerCertificate()
  const subject = cert?.subject as Record<string, string | string[]> | undefined
  if (!subject) {
    return ''
  }
  return Object.entries(subject)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ')
}

export async function startFakeApns(options: { pki?: TestPki } = {}): Promise<FakeApns> {
  const pki = options.pki ?? (await createTestPki('Fake APNs CA'))
  const serverCert: CertAndKey = await pki.issueServer()
  const pushes: ReceivedPush[] = []
  const answers = new Map<string, FakeApnsAnswer>()
  const waiters: { count: number; resolve: (p: ReceivedPush[]) => void }[] = []

  const server: Http2SecureServer = createSecureServer({
    cert: serverCert.certPem,
    key: serverCert.keyPem,
    ca: pki.ca.certPem,
    requestCert: true,
    rejectUnauthorized: true,
  })
  const sessions = new Set<ServerHttp2Session>()
  server.on('session', (session) => {
    sessions.add(session)
    session.on('close', () => sessions.delete(session))
  })
  server.on('stream', (stream, headers) => {
    const path = String(headers[constants.HTTP2_HEADER_PATH] ?? '')
    const match = /^\/3\/device\/([^/?]+)$/.exec(path)
    const chunks: Buffer[] = []
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.on('end', () => {
      if (!match || headers[constants.HTTP2_HEADER_METHOD] !== 'POST') {
        stream.respond({ ':status': 404 })
        stream.end()
        return
      }
      const token = match[1] ?? ''
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        body = undefined
      }
      const apnsId = randomUUID().toUpperCase()
      pushes.push({ token, body, headers, clientSubject: subjectOf(stream), apnsId })
      for (const w of waiters.filter((w) => pushes.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve([...pushes])
      }
      const answer = answers.get(token) ?? { status: 200 }
      if (answer.status === 200) {
        stream.respond({ ':status': 200, 'apns-id': apnsId })
        stream.end()
        return
      }
      stream.respond({
        ':status': answer.status,
        'apns-id': apnsId,
        'content-type': 'application/json',
      })
      stream.end(
        JSON.stringify({ reason: 'reason' in answer ? answer.reason : '', timestamp: Date.now() }),
      )
    })
  })
  // Refused handshakes (wrong client CA) are expected in tests; don't let them crash the server.
  server.on('tlsClientError', () => undefined)
  server.on('sessionError', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const caDir = mkdtempSync(join(tmpdir(), 'fake-apns-'))
  const caPath = join(caDir, 'ca.pem')
  writeFileSync(caPath, pki.ca.certPem)
  const { port } = server.address() as AddressInfo

  return {
    url: `https://127.0.0.1:${port}`,
    pki,
    caPath,
    pushes,
    answer: (token, answer) => void answers.set(token, answer),
    waitForPushes: (count) =>
      pushes.length >= count
        ? Promise.resolve([...pushes])
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        rmSync(caDir, { recursive: true, force: true })
        server.close(() => resolve())
        // open client sessions would keep close() waiting
        for (const s of sessions) {
          s.destroy()
        }
      }),
  }
}
