import { STATUS_CODES } from 'node:http'
import type { Endpoint, EndpointResponse } from '@fleet/api'
import { Agent, request, type Dispatcher } from 'undici'
import { callEndpoint, endpointUrl, type CallArgs, type HttpAnswer, type RawInput } from './call.js'
import { FleetConnectionError } from './errors.js'

export interface FleetClientOptions {
  /** Server base URL, `https://fleet.example.com` (a path, as behind a proxy, is kept). */
  address: string
  /** API token (`Authorization: Bearer ...`); omit for public endpoints (setup, login). */
  token?: string | undefined
  /** Accept any server certificate. For development servers with self-signed certificates. */
  tlsSkipVerify?: boolean | undefined
  /** PEM of the CA(s) to trust instead of the system store. */
  rootCA?: string | undefined
  /** Fleet's `server.url_prefix`, e.g. `/fleet`, put between the address and `/api`. */
  urlPrefix?: string | undefined
  /** Per-request limit on waiting for headers and between body chunks. Default 5 minutes. */
  timeoutMs?: number | undefined
  userAgent?: string | undefined
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000
const CONNECT_TIMEOUT_MS = 10_000

/**
 * Typed HTTP client for the Fleet REST API, driven by the endpoint contracts in `@fleet/api`.
 *
 * Responses are validated against the endpoint's response schema, so a server that drifts from
 * the contract fails loudly with a {@link FleetResponseError} rather than deep inside a caller.
 *
 * @example
 * const client = new FleetClient({ address: 'https://fleet.example.com', token })
 * const { teams } = await client.call(listTeams, { query: { query: 'Workstations' } })
 * await client.close()
 */
export class FleetClient {
  readonly address: string
  readonly token: string | undefined
  private readonly base: string
  private readonly options: FleetClientOptions
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  private closed = false

  /**
   * @param dispatcher share a connection pool (as `withToken` does); the client then does not
   *   close it. By default each client owns an undici `Agent` honouring the TLS options.
   */
  constructor(options: FleetClientOptions, dispatcher?: Dispatcher) {
    this.options = options
    this.base = baseUrl(options.address, options.urlPrefix)
    this.address = options.address
    this.token = options.token || undefined
    this.ownsDispatcher = dispatcher === undefined
    this.dispatcher = dispatcher ?? createAgent(options)
  }

  /** A client for the same server and connection pool, authenticated with `token`. */
  withToken(token: string): FleetClient {
    return new FleetClient({ ...this.options, token }, this.dispatcher)
  }

  /** Full URL of an endpoint call, with path parameters and query string filled in. */
  url<E extends Endpoint>(endpoint: E, ...args: CallArgs<E>): string
  url(endpoint: Endpoint, input?: RawInput): string {
    return endpointUrl(this.base, endpoint, input)
  }

  /**
   * Calls an endpoint and returns its response, validated against the endpoint's schema.
   * @throws FleetApiError on a non-2xx answer (status, code, message and field errors)
   * @throws FleetConnectionError when the server cannot be reached (DNS, TCP, TLS, timeout)
   * @throws FleetResponseError when a 2xx body does not match the contract
   */
  call<E extends Endpoint>(endpoint: E, ...args: CallArgs<E>): Promise<EndpointResponse<E>>
  call(endpoint: Endpoint, input?: RawInput): Promise<unknown> {
    return callEndpoint(
      (method, url, body) => this.send(method, url, body),
      this.base,
      endpoint,
      input,
    )
  }

  /** Closes the connection pool if this client created it. Idempotent. */
  async close(): Promise<void> {
    if (this.ownsDispatcher && !this.closed) {
      this.closed = true
      await this.dispatcher.close()
    }
  }

  private async send(method: string, url: string, body: string | undefined): Promise<HttpAnswer> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'fleet-client',
    }
    if (this.token) {
      headers.authorization = `Bearer ${this.token}`
    }
    if (body !== undefined) {
      headers['content-type'] = 'application/json'
    }
    try {
      const res = await request(url, {
        method: toHttpMethod(method),
        headers,
        body,
        dispatcher: this.dispatcher,
      })
      return {
        status: res.statusCode,
        statusText: STATUS_CODES[res.statusCode] ?? '',
        text: await res.body.text(),
      }
    } catch (err) {
      throw new FleetConnectionError(this.address, err)
    }
  }
}

function createAgent(options: FleetClientOptions): Agent {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  return new Agent({
    connect: {
      rejectUnauthorized: !options.tlsSkipVerify,
      timeout: Math.min(timeout, CONNECT_TIMEOUT_MS),
      ...(options.rootCA ? { ca: options.rootCA } : {}),
    },
    headersTimeout: timeout,
    bodyTimeout: timeout,
  })
}

/** Validates the address and joins it with the URL prefix, without a trailing slash. */
function baseUrl(address: string, urlPrefix: string | undefined): string {
  let url: URL
  try {
    url = new URL(address)
  } catch {
    throw new TypeError(
      `invalid Fleet address "${address}": expected a URL like https://fleet.example.com`,
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`invalid Fleet address "${address}": the scheme must be https or http`)
  }
  const path = trimSlashes(url.pathname)
  const prefix = trimSlashes(urlPrefix ?? '')
  return (
    url.origin +
    [path, prefix]
      .filter((part) => part !== '')
      .map((part) => `/${part}`)
      .join('')
  )
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '')
}

function toHttpMethod(method: string): Dispatcher.HttpMethod {
  switch (method) {
    case 'GET':
    case 'POST':
    case 'PATCH':
    case 'PUT':
    case 'DELETE':
      return method
    default:
      throw new TypeError(`unsupported HTTP method ${method}`)
  }
}
