import { Agent } from 'undici'

export interface HttpClientOptions {
  /** `https://fleet.example.com[/prefix]`. */
  serverUrl: string
  /** Accept any server certificate. */
  insecure: boolean
  /** PEM of the CA(s) to trust instead of the system store. */
  ca?: string | undefined
  /** Keep-alive connections in the pool all hosts share. */
  connections: number
  /** Limit on waiting for headers and between body chunks. */
  timeoutMs: number
}

/** A response (any status), or a failure to get one (DNS, TCP, TLS, timeout). */
export type HttpResult =
  { kind: 'response'; status: number; text: string } | { kind: 'network-error'; message: string }

/** JSON POSTs over one keep-alive connection pool shared by every simulated host. */
export interface HttpClient {
  post(path: string, body: string): Promise<HttpResult>
  /** Waits for in-flight requests, then closes the pool. */
  close(): Promise<void>
  /** Aborts in-flight requests and closes the pool at once. */
  destroy(): Promise<void>
}

const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json',
  'user-agent': 'fleet-sim (osquery)',
}

/**
 * One undici `Agent` with `connections` sockets, no pipelining (osquery sends one request at a
 * time per connection). Requests beyond the pool size queue in undici, and that wait counts in
 * the latency the simulator reports.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const url = new URL(options.serverUrl)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`invalid server URL ${options.serverUrl}: the scheme must be https or http`)
  }
  const prefix = url.pathname.replace(/\/+$/, '')
  const agent = new Agent({
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: {
      rejectUnauthorized: !options.insecure,
      timeout: Math.min(options.timeoutMs, 10_000),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    },
  })
  return {
    async post(path, body) {
      try {
        const res = await agent.request({
          origin: url.origin,
          path: prefix + path,
          method: 'POST',
          headers: HEADERS,
          body,
        })
        return { kind: 'response', status: res.statusCode, text: await res.body.text() }
      } catch (err) {
        return { kind: 'network-error', message: err instanceof Error ? err.message : String(err) }
      }
    },
    close: () => agent.close(),
    destroy: () => agent.destroy(),
  }
}
