import { ErrorCode, type ErrorBody, type OsqueryErrorBody } from '@fleet/api'
import { randomUUID } from 'node:crypto'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { dependencyDown, FleetError, RateLimitedError, UnavailableError } from '../errors/index.js'

/**
 * The error body a route answers with, set in its route options (`config: { errorShape }`):
 * Fleet's REST body by default; osquery's `{error, node_invalid}` for osquery's TLS API.
 */
export type ErrorShape = 'fleet' | 'osquery'

declare module 'fastify' {
  interface FastifyContextConfig {
    errorShape?: ErrorShape
  }
}

const STATUS: Record<FleetError['kind'], number> = {
  invalid: 400,
  validation: 422,
  auth_required: 401,
  auth_failed: 401,
  forbidden: 403,
  not_found: 404,
  exists: 409,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
}

function body(message: string, code: string, reason: string, name = 'base'): ErrorBody {
  return { message, code, errors: [{ name, reason }] }
}

/** Errors raised by fastify itself (body parsing, limits) as Fleet-shaped 4xx bodies. */
function frameworkError(err: FastifyError): { status: number; body: ErrorBody } | undefined {
  if (err instanceof SyntaxError) {
    return {
      status: 400,
      body: body('Bad request', ErrorCode.MALFORMED_JSON, 'request body is not valid JSON', 'body'),
    }
  }
  const status = err.statusCode ?? 500
  if (status >= 500) {
    return undefined
  }
  if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      body: body(
        'Request body too large',
        ErrorCode.BODY_TOO_LARGE,
        'request body is larger than the server accepts',
      ),
    }
  }
  if (status === 415) {
    return {
      status: 415,
      body: body(
        'Unsupported media type',
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'send the body as application/json',
      ),
    }
  }
  if (err.code?.startsWith('FST_ERR_CTP')) {
    return {
      status: 400,
      body: body('Bad request', ErrorCode.MALFORMED_JSON, 'request body is not valid JSON', 'body'),
    }
  }
  return {
    status,
    body: body('Bad request', ErrorCode.BAD_REQUEST, 'the request could not be read'),
  }
}

/**
 * osquery's error text for a refused request: a field problem reads
 * `invalid request: <field>: <reason>`; anything else is its reason.
 */
function osqueryText(err: FleetError): string {
  const detail = err.details[0]
  if (!detail) {
    return err.message
  }
  return err.kind === 'invalid' && detail.name !== 'base'
    ? `invalid request: ${detail.name}: ${detail.reason}`
    : detail.reason
}

/** osquery's body: `node_invalid` (on authentication failures) makes the agent enroll again. */
function osqueryBody(error: string, nodeInvalid = false): OsqueryErrorBody {
  return nodeInvalid ? { error, node_invalid: true } : { error }
}

/** Errors fastify raises before a handler runs (bad JSON, oversized or undecodable bodies). */
function osqueryFrameworkError(err: FastifyError): { status: number; body: OsqueryErrorBody } {
  const undecodable =
    err instanceof SyntaxError || (typeof err.code === 'string' && err.code.startsWith('Z_'))
  const status = err.statusCode && err.statusCode < 500 ? err.statusCode : undecodable ? 400 : 500
  const text = status === 413 ? 'request body too large' : 'invalid request body'
  return { status, body: osqueryBody(status >= 500 ? 'internal error' : text) }
}

/** A refused request or a failure, rendered in the route's error shape. */
function render(
  err: FastifyError,
  shape: ErrorShape,
): { status: number; body: ErrorBody | OsqueryErrorBody } | undefined {
  if (err instanceof FleetError && err.kind !== 'internal') {
    const status = STATUS[err.kind]
    if (shape === 'osquery') {
      const nodeInvalid = err.kind === 'auth_required' || err.kind === 'auth_failed'
      return { status, body: osqueryBody(osqueryText(err), nodeInvalid) }
    }
    return { status, body: { message: err.message, code: err.code, errors: err.details } }
  }
  if (err instanceof FleetError) {
    return undefined
  }
  if (shape === 'osquery') {
    const framework = osqueryFrameworkError(err)
    return framework.status >= 500 ? undefined : framework
  }
  return frameworkError(err)
}

/** During an outage every request fails alike: its cause is logged at most every 10 s. */
const OUTAGE_LOG_INTERVAL_MS = 10_000
let lastOutageLog = 0

function logOutage(request: FastifyRequest, err: unknown, down: FleetError): void {
  const now = Date.now()
  if (now - lastOutageLog < OUTAGE_LOG_INTERVAL_MS) {
    return
  }
  lastOutageLog = now
  request.log.warn(
    { err, url: request.routeOptions.url },
    `${down.details[0]?.reason ?? 'a dependency is unavailable'}; answering 503`,
  )
}

/**
 * The one place that knows HTTP status codes, for every API (REST, osquery, orbit, device):
 * known errors become the route's error body (see {@link ErrorShape}); anything else is logged
 * once (with a correlation uuid in Fleet's body) and answered as a bare 500.
 */
export function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const shape = request.routeOptions.config.errorShape ?? 'fleet'
  const down = err instanceof FleetError ? undefined : dependencyDown(err)
  if (down) {
    logOutage(request, err, down)
  }
  const known = render(down ?? err, shape)
  if (known) {
    if (
      (err instanceof RateLimitedError || err instanceof UnavailableError) &&
      err.retryAfterSeconds !== undefined
    ) {
      void reply.header('retry-after', String(err.retryAfterSeconds))
    }
    if (err instanceof FleetError) {
      request.log.debug({ status: known.status, code: err.code }, 'request refused')
    }
    void reply.code(known.status).send(known.body)
    return
  }
  const uuid = randomUUID()
  request.log.error({ err, uuid, url: request.routeOptions.url }, 'request failed')
  if (shape === 'osquery') {
    void reply.code(500).send(osqueryBody('internal error'))
    return
  }
  void reply.code(500).send({
    message: 'Unknown Error',
    code: ErrorCode.INTERNAL,
    errors: [{ name: 'base', reason: `internal error; reference ${uuid}` }],
    uuid,
  } satisfies ErrorBody)
}

/** 404 for routes that don't exist, in the same shape. */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send({
    message: 'Resource Not Found',
    code: ErrorCode.ROUTE_NOT_FOUND,
    errors: [
      { name: 'base', reason: `no route for ${request.method} ${request.url.split('?')[0] ?? ''}` },
    ],
  } satisfies ErrorBody)
}
