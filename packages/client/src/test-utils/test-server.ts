import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { TEST_SERVER_CERT_PEM, TEST_SERVER_KEY_PEM } from './test-pki.js'

/** One request as the test server saw it. */
export interface SeenRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/** What a handler answers: a status, and a body sent as JSON unless it is a string. */
export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export interface TestServer {
  /** `http(s)://127.0.0.1:<port>` */
  url: string
  requests: SeenRequest[]
  close(): Promise<void>
}

/** Starts a real local HTTP(S) server on a free port; `tls` uses the fixed test PKI. */
export async function startTestServer(
  handler: (req: SeenRequest) => Reply,
  opts: { tls?: boolean } = {},
): Promise<TestServer> {
  const requests: SeenRequest[] = []
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(seen)
      const reply = handler(seen)
      const text =
        reply.body === undefined
          ? ''
          : typeof reply.body === 'string'
            ? reply.body
            : JSON.stringify(reply.body)
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
      res.end(text)
    })
  }
  const server: Server = opts.tls
    ? createHttpsServer({ cert: TEST_SERVER_CERT_PEM, key: TEST_SERVER_KEY_PEM }, listener)
    : createHttpServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = addressOf(server)
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

function addressOf(server: Server): AddressInfo {
  const address = server.address()
  if (address === null || typeof address === 'string') {
    throw new Error('test server is not listening on TCP')
  }
  return address
}
