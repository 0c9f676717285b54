import type { Endpoint, EndpointInput, EndpointResponse } from '@fleet/api'
import { FleetResponseError, toApiError } from './errors.js'
import { encodeQuery, fillPath, requestPath } from './url.js'

type Optional<T> = {
  [K in keyof T]-?: undefined extends T[K] ? K : Record<never, never> extends T[K] ? K : never
}[keyof T]

/**
 * What `call` takes: `params`, `query` and `body` as the contract's input types, each optional
 * when the endpoint has none or when every field of it is optional.
 */
export type CallInput<E extends Endpoint> = Omit<EndpointInput<E>, Optional<EndpointInput<E>>> &
  Partial<Pick<EndpointInput<E>, Optional<EndpointInput<E>>>>

/** `call`'s arguments after the endpoint: the input, optional when every part of it is. */
export type CallArgs<E extends Endpoint> =
  Record<never, never> extends CallInput<E> ? [input?: CallInput<E>] : [input: CallInput<E>]

/** The untyped shape behind {@link CallInput}, used inside the implementations only. */
export interface RawInput {
  params?: unknown
  query?: unknown
  body?: unknown
}

/** What a transport returns for one request (undici in Node, `fetch` in the browser). */
export interface HttpAnswer {
  status: number
  statusText: string
  text: string
}

/** Sends one request; throws a `FleetConnectionError` when there is no HTTP answer. */
export type Send = (method: string, url: string, body: string | undefined) => Promise<HttpAnswer>

/** Full URL (or path, when `base` is empty) of an endpoint call. */
export function endpointUrl(base: string, endpoint: Endpoint, input?: RawInput): string {
  return base + fillPath(requestPath(endpoint), input?.params) + encodeQuery(input?.query)
}

/**
 * One endpoint call over any transport: the request from the contract, the answer checked against
 * the endpoint's response schema. Shared by the Node and the browser clients so both fail alike.
 */
export async function callEndpoint<E extends Endpoint>(
  send: Send,
  base: string,
  endpoint: E,
  input?: RawInput,
): Promise<EndpointResponse<E>>
export async function callEndpoint(
  send: Send,
  base: string,
  endpoint: Endpoint,
  input?: RawInput,
): Promise<unknown> {
  const url = endpointUrl(base, endpoint, input)
  const body = input?.body === undefined ? undefined : JSON.stringify(input.body)
  const { status, statusText, text } = await send(endpoint.method, url, body)
  if (status < 200 || status >= 300) {
    throw toApiError({ status, statusText, text, method: endpoint.method, url })
  }
  const json = parseBody(text, { status, method: endpoint.method, url })
  const parsed = endpoint.response.safeParse(json)
  if (!parsed.success) {
    const problem = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
      .join('; ')
    throw new FleetResponseError({ status, method: endpoint.method, url, problem })
  }
  return parsed.data
}

/**
 * A call to an endpoint whose answer is not JSON (`produces`, e.g. a CSV report): its text, or the
 * same `FleetApiError` a JSON call throws when the server refuses it.
 */
export async function callEndpointForText(
  send: Send,
  base: string,
  endpoint: Endpoint,
  input?: RawInput,
): Promise<string> {
  const url = endpointUrl(base, endpoint, input)
  const { status, statusText, text } = await send(endpoint.method, url, undefined)
  if (status < 200 || status >= 300) {
    throw toApiError({ status, statusText, text, method: endpoint.method, url })
  }
  return text
}

function parseBody(text: string, ctx: { status: number; method: string; url: string }): unknown {
  if (text.trim() === '') {
    return {}
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new FleetResponseError({ ...ctx, problem: 'the body is not JSON' })
  }
}
