import { ErrorBody, ErrorCode, type ErrorDetail } from '@fleet/api'

/**
 * The server answered with a non-2xx status. Carries Fleet's error body: `message`, our stable
 * `code` (branch on this, never on `message`) and the field-level `errors`.
 *
 * Servers that send no `code` (real Fleet, proxies) get one derived from the HTTP status.
 */
export class FleetApiError extends Error {
  override readonly name = 'FleetApiError'
  readonly status: number
  readonly code: string
  readonly errors: readonly ErrorDetail[]
  /** Correlation id the server logged with the error, when it sent one. */
  readonly uuid: string | undefined
  readonly method: string
  readonly url: string

  constructor(init: {
    status: number
    code: string
    message: string
    errors: readonly ErrorDetail[]
    uuid?: string | undefined
    method: string
    url: string
  }) {
    super(init.message)
    this.status = init.status
    this.code = init.code
    this.errors = init.errors
    this.uuid = init.uuid
    this.method = init.method
    this.url = init.url
  }
}

/** Why a request never got an HTTP answer. */
export type ConnectionFailure = 'tls' | 'refused' | 'dns' | 'timeout' | 'network'

/**
 * The request never got an HTTP answer: DNS, TCP, TLS verification or a timeout. The message names
 * the server address so a user can tell a typo from an outage.
 */
export class FleetConnectionError extends Error {
  override readonly name = 'FleetConnectionError'
  readonly address: string
  readonly reason: ConnectionFailure
  /** The low-level error code (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, ...), if any. */
  readonly causeCode: string | undefined

  constructor(address: string, cause: unknown) {
    const causeCode = errorCode(cause)
    const reason = classify(causeCode)
    super(`${describe(reason, address)}: ${causeMessage(cause)}`, { cause })
    this.address = address
    this.reason = reason
    this.causeCode = causeCode
  }
}

/** The server answered 2xx, but with a body that is not the JSON the contract promises. */
export class FleetResponseError extends Error {
  override readonly name = 'FleetResponseError'
  readonly status: number
  readonly method: string
  readonly url: string

  constructor(init: { status: number; method: string; url: string; problem: string }) {
    super(
      `unexpected response from ${init.method} ${init.url} (status ${init.status}): ${init.problem}`,
    )
    this.status = init.status
    this.method = init.method
    this.url = init.url
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
])

function classify(code: string | undefined): ConnectionFailure {
  if (code === undefined) {
    return 'network'
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return 'tls'
  }
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns'
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timeout'
    default:
      return 'network'
  }
}

function describe(reason: ConnectionFailure, address: string): string {
  switch (reason) {
    case 'tls':
      return `TLS connection to Fleet at ${address} failed`
    case 'refused':
      return `connection to Fleet at ${address} refused`
    case 'dns':
      return `could not resolve the Fleet host in ${address}`
    case 'timeout':
      return `request to Fleet at ${address} timed out`
    case 'network':
      return `could not reach Fleet at ${address}`
  }
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') {
    return err.code
  }
  return undefined
}

function causeMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Builds a {@link FleetApiError} from a non-2xx answer, tolerating bodies that are not Fleet's. */
export function toApiError(init: {
  status: number
  statusText: string
  text: string
  method: string
  url: string
}): FleetApiError {
  const parsed = LenientErrorBody.safeParse(parseJson(init.text))
  const fallback = init.statusText || `HTTP ${init.status}`
  if (!parsed.success) {
    return new FleetApiError({
      status: init.status,
      code: codeForStatus(init.status),
      message: fallback,
      errors: [],
      method: init.method,
      url: init.url,
    })
  }
  const body = parsed.data
  return new FleetApiError({
    status: init.status,
    code: body.code ?? codeForStatus(init.status),
    message: body.message || fallback,
    errors: body.errors ?? [],
    uuid: body.uuid,
    method: init.method,
    url: init.url,
  })
}

/** Fleet's own error bodies have no `code`; accept them as well as ours. */
const LenientErrorBody = ErrorBody.partial({ code: true, errors: true })

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The code a server without our `code` field most likely meant. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return ErrorCode.BAD_REQUEST
    case 401:
      return ErrorCode.AUTH_REQUIRED
    case 403:
      return ErrorCode.FORBIDDEN
    case 404:
      return ErrorCode.NOT_FOUND
    case 405:
      return ErrorCode.METHOD_NOT_ALLOWED
    case 409:
      return ErrorCode.CONFLICT
    case 413:
      return ErrorCode.BODY_TOO_LARGE
    case 415:
      return ErrorCode.UNSUPPORTED_MEDIA_TYPE
    case 422:
      return ErrorCode.VALIDATION_FAILED
    case 429:
      return ErrorCode.RATE_LIMITED
    default:
      return status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST
  }
}
