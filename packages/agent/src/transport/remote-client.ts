import { promisify } from 'node:util'
import { brotliDecompress, gunzip, gzip, inflate } from 'node:zlib'
import { Agent, request } from 'undici'
import { backoffDelay, sleep } from './backoff.js'

const gzipAsync = promisify(gzip)
const gunzipAsync = promisify(gunzip)
const inflateAsync = promisify(inflate)
const brotliAsync = promisify(brotliDecompress)

/** How to reach the TLS server (osquery's --tls_* flags). */
export interface RemoteOptions {
  /** `host` or `host:port` (--tls_hostname). */
  hostname: string
  /** PEM CA bundle (--tls_server_certs); Node's roots when absent. */
  ca?: string
  /** Client certificate and key, PEM (--tls_client_cert, --tls_client_key). */
  clientCert?: string
  clientKey?: string
  /** Skip certificate verification (fleetd's --tls_insecure). */
  insecure?: boolean
  userAgent: string
  timeoutMs?: number
  /** Called once per request with method, path, status (--tls_dump); never with bodies. */
  onDump?: (line: string) => void
}

/**
 * One call's outcome. `node-invalid` means the server no longer knows the node key (enroll
 * again); `error` carries whether trying again later can help.
 */
export type RemoteResult =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'node-invalid'; error: string }
  | { kind: 'error'; status?: number; error: string; retryable: boolean }

/** POSTs JSON to the osquery TLS API endpoints of one server. */
export interface RemoteClient {
  post(
    path: string,
    body: Record<string, unknown>,
    options?: { compress?: boolean; signal?: AbortSignal },
  ): Promise<RemoteResult>
  close(): Promise<void>
}

/**
 * A client over one undici connection pool (TLS sessions reused, as osquery's
 * tls_session_reuse). Requests are JSON, responses may be gzip/deflate/br encoded.
 */
export function createRemoteClient(options: RemoteOptions): RemoteClient {
  const dispatcher = new Agent({
    connect: {
      ...(options.ca !== undefined && { ca: options.ca }),
      ...(options.clientCert !== undefined && { cert: options.clientCert }),
      ...(options.clientKey !== undefined && { key: options.clientKey }),
      rejectUnauthorized: !options.insecure,
    },
    headersTimeout: options.timeoutMs ?? 30_000,
    bodyTimeout: options.timeoutMs ?? 30_000,
  })
  const origin = `https://${options.hostname}`

  return {
    async post(path, body, { compress = false, signal } = {}) {
      const json = Buffer.from(JSON.stringify(body), 'utf8')
      const payload = compress ? await gzipAsync(json) : json
      let status: number
      let raw: Buffer
      let encoding: string | undefined
      try {
        const res = await request(`${origin}${path}`, {
          method: 'POST',
          dispatcher,
          signal,
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'accept-encoding': 'gzip, deflate',
            'user-agent': options.userAgent,
            ...(compress && { 'content-encoding': 'gzip' }),
          },
          body: payload,
        })
        status = res.statusCode
        const header = res.headers['content-encoding']
        encoding = typeof header === 'string' ? header.toLowerCase() : undefined
        raw = Buffer.from(await res.body.arrayBuffer())
      } catch (err) {
        options.onDump?.(`POST ${path} failed: ${errorText(err)}`)
        return { kind: 'error', error: errorText(err), retryable: true }
      }
      options.onDump?.(`POST ${path} -> ${status} (${raw.length} bytes)`)
      return interpret(status, await decode(raw, encoding))
    },
    close: () => dispatcher.close(),
  }
}

async function decode(raw: Buffer, encoding: string | undefined): Promise<string | undefined> {
  try {
    switch (encoding) {
      case 'gzip':
      case 'x-gzip':
        return (await gunzipAsync(raw)).toString('utf8')
      case 'deflate':
        return (await inflateAsync(raw)).toString('utf8')
      case 'br':
        return (await brotliAsync(raw)).toString('utf8')
      default:
        return raw.toString('utf8')
    }
  } catch {
    return undefined
  }
}

/** Maps status and body to a result; `node_invalid: true` wins over the status code. */
export function interpret(status: number, text: string | undefined): RemoteResult {
  let body: unknown
  try {
    body = text === undefined || text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    body = undefined
  }
  const record = isRecord(body) ? body : undefined
  if (record?.node_invalid === true) {
    const error = typeof record.error === 'string' ? record.error : 'node key invalid'
    return { kind: 'node-invalid', error }
  }
  if (status < 200 || status >= 300) {
    const reason = typeof record?.error === 'string' ? record.error : `HTTP ${status}`
    const retryable = status >= 500 || status === 408 || status === 429
    return { kind: 'error', status, error: `HTTP ${status}: ${reason}`, retryable }
  }
  if (body === undefined) {
    return { kind: 'error', status, error: 'response is not JSON', retryable: true }
  }
  return { kind: 'ok', status, body }
}

/**
 * Posts up to `attempts` times while the failure is retryable, waiting 1 s, 2 s, 4 s ... (with
 * jitter) between tries, as osquery's TLS plugins do with their *_max_attempts flags.
 */
export async function postWithAttempts(
  client: RemoteClient,
  path: string,
  body: Record<string, unknown>,
  attempts: number,
  options: { compress?: boolean; signal?: AbortSignal } = {},
): Promise<RemoteResult> {
  let result: RemoteResult = { kind: 'error', error: 'no attempt made', retryable: true }
  for (let attempt = 0; attempt < Math.max(1, attempts); attempt++) {
    if (attempt > 0) {
      await sleep(backoffDelay(attempt - 1, { baseMs: 1000, maxMs: 30_000 }), options.signal)
    }
    if (options.signal?.aborted) {
      return result
    }
    result = await client.post(path, body, options)
    if (result.kind !== 'error' || !result.retryable) {
      return result
    }
  }
  return result
}

/** A plain-object check that keeps TypeScript honest about unknown JSON. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** An error's message, or its string form. */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : ''
    return `${err.message}${cause}`
  }
  return String(err)
}
