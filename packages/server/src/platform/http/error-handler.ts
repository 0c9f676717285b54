import { ErrorCode, type ErrorBody } from '@fleet/api'
import { randomUUID } from 'node:crypto'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { FleetError, RateLimitedError } from '../errors/index.js'

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
 * The one place that knows HTTP status codes. Known errors become Fleet's error body; anything
 * else is logged once with a correlation uuid and answered as a bare 500.
 */
export function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof FleetError && err.kind !== 'internal') {
    if (err instanceof RateLimitedError) {
      void reply.header('retry-after', String(err.retryAfterSeconds))
    }
    const status = STATUS[err.kind]
    request.log.debug({ status, code: err.code }, 'request refused')
    void reply.code(status).send({ message: err.message, code: err.code, errors: err.details })
    return
  }
  const framework = err instanceof FleetError ? undefined : frameworkError(err)
  if (framework) {
    void reply.code(framework.status).send(framework.body)
    return
  }
  const uuid = randomUUID()
  request.log.error({ err, uuid, url: request.routeOptions.url }, 'request failed')
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
