import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request the fake server received; `body` is parsed JSON (or `undefined`). */
export interface FakeRequest {
  method: string
  path: string
  query: URLSearchParams
  authorization: string | undefined
  body: unknown
}

export interface FakeReply {
  status?: number
  body?: unknown
}

/** Routes keyed `"METHOD /path"` (path without the query string). */
export type FakeRoutes = Record<string, (req: FakeRequest) => FakeReply>

export interface FakeFleet {
  url: string
  requests: FakeRequest[]
  close(): Promise<void>
}

/**
 * A real local HTTP server answering the routes given, 404 (Fleet's error shape) for the rest.
 * It stands in for the Fleet server in command tests; the e2e test uses the real one.
 */
export async function startFakeFleet(routes: FakeRoutes): Promise<FakeFleet> {
  const requests: FakeRequest[] = []
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const text = Buffer.concat(chunks).toString('utf8')
      const seen: FakeRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        authorization: req.headers.authorization,
        body: text === '' ? undefined : JSON.parse(text),
      }
      requests.push(seen)
      const route = routes[`${seen.method} ${seen.path}`]
      const reply = route
        ? route(seen)
        : {
            status: 404,
            body: { message: 'Resource Not Found', code: 'ROUTE_NOT_FOUND', errors: [] },
          }
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' })
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') {
    throw new Error('fake Fleet is not listening on TCP')
  }
  const { port }: AddressInfo = address
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
