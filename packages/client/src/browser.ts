import type { Endpoint, EndpointResponse } from '@fleet/api'
import {
  callEndpoint,
  callEndpointForText,
  endpointUrl,
  type CallArgs,
  type HttpAnswer,
  type RawInput,
} from './call.js'
import { FleetApiError, FleetConnectionError, toApiError } from './errors.js'

export type { CallInput } from './call.js'
export { FleetApiError, FleetConnectionError, FleetResponseError } from './errors.js'

/** A file an endpoint answered with: its bytes, and the name the server gave it. */
export interface DownloadedFile {
  blob: Blob
  name: string | undefined
}

/** The `filename` of a `Content-Disposition: attachment; filename="..."` header. */
export function attachmentName(header: string | null): string | undefined {
  const match = header === null ? null : /filename="?([^";]+)"?/i.exec(header)
  return match?.[1]
}

export interface BrowserClientOptions {
  /** Where the API is; '' (the default) is the page's own origin, as `fleet serve` serves it. */
  base?: string
  /** The session token to send as `Authorization: Bearer`, read on every call. */
  token: () => string | undefined
  /** Called when the server answers 401: the session expired or was revoked. */
  onUnauthorized?: (error: FleetApiError) => void
  /** `fetch` to use (tests pass a fake); the global one by default. */
  fetch?: typeof fetch
}

/**
 * The typed Fleet client for the web console: the same contracts and checks as `FleetClient`, over
 * the browser's `fetch`, with no Node dependency (imported as `@fleet/client/browser`).
 *
 * @example
 * const client = new BrowserFleetClient({ token: () => localStorage.getItem('token') ?? undefined })
 * const { host } = await client.call(getHost, { params: { id: 12 } })
 */
export class BrowserFleetClient {
  private readonly base: string
  private readonly options: BrowserClientOptions

  constructor(options: BrowserClientOptions) {
    this.options = options
    this.base = (options.base ?? '').replace(/\/+$/, '')
  }

  /** URL of an endpoint call, with path parameters and query string filled in. */
  url<E extends Endpoint>(endpoint: E, ...args: CallArgs<E>): string
  url(endpoint: Endpoint, input?: RawInput): string {
    return endpointUrl(this.base, endpoint, input)
  }

  /**
   * Calls an endpoint and returns its response, validated against the endpoint's schema.
   * @throws FleetApiError on a non-2xx answer; `onUnauthorized` has seen a 401 first
   * @throws FleetConnectionError when the server cannot be reached
   * @throws FleetResponseError when a 2xx body does not match the contract
   */
  call<E extends Endpoint>(endpoint: E, ...args: CallArgs<E>): Promise<EndpointResponse<E>>
  call(endpoint: Endpoint, input?: RawInput): Promise<unknown> {
    return this.guarded(() =>
      callEndpoint((m, u, b) => this.send(m, u, b), this.base, endpoint, input),
    )
  }

  /**
   * Calls an endpoint that answers with a file (`produces`, e.g. the hosts CSV report) and returns
   * its text; errors as {@link call}'s.
   */
  text<E extends Endpoint & { produces: string }>(
    endpoint: E,
    ...args: CallArgs<E>
  ): Promise<string>
  text(endpoint: Endpoint & { produces: string }, input?: RawInput): Promise<string> {
    const send = (m: string, u: string, b: string | undefined) =>
      this.send(m, u, b, endpoint.produces)
    return this.guarded(() => callEndpointForText(send, this.base, endpoint, input))
  }

  /**
   * Calls an endpoint that answers with a file to save (a profile with `?alt=media`, the signed
   * enrollment profile) and returns its bytes untouched — `text` would decode DER as UTF-8 and
   * corrupt it — with the file name from the server's `Content-Disposition`, if any. Errors as
   * {@link call}'s.
   */
  file<E extends Endpoint>(endpoint: E, ...args: CallArgs<E>): Promise<DownloadedFile>
  file(endpoint: Endpoint, input?: RawInput): Promise<DownloadedFile> {
    return this.guarded(async () => {
      const url = endpointUrl(this.base, endpoint, input)
      const res = await this.fetchRaw(endpoint.method, url, undefined, '*/*')
      if (res.status < 200 || res.status >= 300) {
        const text = await res.text()
        throw toApiError({
          status: res.status,
          statusText: res.statusText,
          text,
          url,
          method: endpoint.method,
        })
      }
      return {
        blob: await res.blob(),
        name: attachmentName(res.headers.get('content-disposition')),
      }
    })
  }

  /** Runs a call; a 401 to it means the session ended, which `onUnauthorized` hears first. */
  private async guarded<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      if (err instanceof FleetApiError && err.status === 401) {
        this.options.onUnauthorized?.(err)
      }
      throw err
    }
  }

  private async send(
    method: string,
    url: string,
    body: string | undefined,
    accept = 'application/json',
  ): Promise<HttpAnswer> {
    const res = await this.fetchRaw(method, url, body, accept)
    return { status: res.status, statusText: res.statusText, text: await res.text() }
  }

  private async fetchRaw(
    method: string,
    url: string,
    body: string | undefined,
    accept: string,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept }
    const token = this.options.token()
    if (token) {
      headers.authorization = `Bearer ${token}`
    }
    if (body !== undefined) {
      headers['content-type'] = 'application/json'
    }
    const fetchImpl = this.options.fetch ?? globalThis.fetch.bind(globalThis)
    try {
      return await fetchImpl(url, { method, headers, body, credentials: 'same-origin' })
    } catch (err) {
      throw new FleetConnectionError(this.base || 'this server', err)
    }
  }
}
