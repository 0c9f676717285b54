import { Readable } from 'node:stream'
import {
  endpointPaths,
  ErrorCode,
  type Endpoint,
  type EndpointRequest,
  type EndpointResponse,
} from '@fleet/api'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { AuthRequiredError, ForbiddenError, InternalError, parseInput } from '../errors/index.js'
import type { Authenticate, RequestCtx } from './request-context.js'

export interface EndpointOptions {
  /** Reachable while the user must reset their password (me, logout, the reset itself). */
  allowDuringPasswordReset?: boolean
}

export interface EndpointRegistrar {
  app: FastifyInstance
  authenticate: Authenticate
  /** Tests turn this on: every response must match the contract's schema. */
  validateResponses: boolean
}

export type EndpointHandler<E extends Endpoint> = (
  input: EndpointRequest<E>,
  ctx: RequestCtx,
  request: FastifyRequest,
) => Promise<EndpointResponse<E> | FileResponse>

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  return schema ? parseInput(schema, value ?? {}, where) : undefined
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return match?.[1]
}

async function authenticateRequest(
  registrar: EndpointRegistrar,
  request: FastifyRequest,
  options: EndpointOptions,
): Promise<void> {
  const token = bearerToken(request)
  if (!token) {
    throw new AuthRequiredError('missing Authorization: Bearer token')
  }
  const found = await registrar.authenticate(token)
  if (!found) {
    throw new AuthRequiredError('invalid or expired session token')
  }
  if (found.forcePasswordReset && !options.allowDuringPasswordReset) {
    throw new ForbiddenError('password reset required', ErrorCode.PASSWORD_RESET_REQUIRED)
  }
  request.ctx.authz.subject = found.authz
  request.ctx.actor = found.actor
  request.ctx.sessionId = found.sessionId
}

async function prepareRequest<E extends Endpoint>(
  registrar: EndpointRegistrar,
  endpoint: E,
  request: FastifyRequest,
  options: EndpointOptions,
): Promise<EndpointRequest<E>> {
  if (endpoint.auth === 'user') {
    await authenticateRequest(registrar, request, options)
  }
  return {
    params: parsePart(endpoint.params, request.params, 'params'),
    query: parsePart(endpoint.query, request.query, 'query'),
    body: parsePart(endpoint.body, request.body, 'body'),
  } as EndpointRequest<E>
}

function requireAuthorized(request: FastifyRequest, url: string): void {
  if (!request.ctx.authz.checked) {
    request.log.error({ url }, 'route returned without an authorization check')
    throw new ForbiddenError()
  }
}

/**
 * Mounts one contract endpoint on every path it answers on: authenticates, validates params,
 * query and body with the contract's zod schemas (400 naming the field), runs the handler, and
 * refuses the response if the handler never authorized (the backstop).
 */
export function registerEndpoint<E extends Endpoint>(
  registrar: EndpointRegistrar,
  endpoint: E,
  handler: EndpointHandler<E>,
  options: EndpointOptions = {},
): void {
  for (const url of endpointPaths(endpoint)) {
    registrar.app.route({
      method: endpoint.method,
      url,
      handler: async (request, reply) => {
        const input = await prepareRequest(registrar, endpoint, request, options)
        const result = await handler(input, request.ctx, request)
        requireAuthorized(request, url)
        if (result instanceof FileResponse) {
          return sendFile(reply, result)
        }
        if (registrar.validateResponses) {
          const check = endpoint.response.safeParse(result)
          if (!check.success) {
            throw new InternalError(
              `matching the ${endpoint.method} ${endpoint.path} response to its contract`,
              {
                cause: check.error,
              },
            )
          }
        }
        return reply.code(endpoint.status ?? 200).send(result)
      },
    })
  }
}

/**
 * What a JSON endpoint's handler returns instead when the request asked for the file itself
 * (Fleet's `?alt=media` downloads): sent as an attachment, outside the JSON contract.
 */
export class FileResponse {
  constructor(
    readonly filename: string,
    readonly type: string,
    readonly body: string | Uint8Array,
  ) {}
}

function sendFile(reply: FastifyReply, file: FileResponse): FastifyReply {
  const name = file.filename.replace(/[^\w .-]/g, '_')
  return reply
    .code(200)
    .type(file.type)
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('x-content-type-options', 'nosniff')
    .send(file.body)
}

/** What a streaming handler returns: the body's chunks and the file name to save it under. */
export interface StreamedFile {
  filename: string
  /** Text for `text/*` types, bytes for binary ones (a signed profile). */
  chunks: AsyncIterable<string | Uint8Array>
}

/**
 * Mounts an endpoint whose body is a file streamed as it is produced (`produces`, e.g. a CSV
 * report), so a large answer never sits whole in memory. Authentication, validation and the
 * authorization backstop are those of {@link registerEndpoint}; they all run before the first
 * byte, so a refusal is still a JSON error. A failure mid-stream can only cut the body short.
 */
export function registerStreamEndpoint<E extends Endpoint & { produces: string }>(
  registrar: EndpointRegistrar,
  endpoint: E,
  handler: (input: EndpointRequest<E>, ctx: RequestCtx) => Promise<StreamedFile>,
): void {
  for (const url of endpointPaths(endpoint)) {
    registrar.app.route({
      method: endpoint.method,
      url,
      handler: async (request, reply) => {
        const input = await prepareRequest(registrar, endpoint, request, {})
        const file = await handler(input, request.ctx)
        requireAuthorized(request, url)
        const name = file.filename.replace(/[^\w .-]/g, '_')
        return reply
          .code(endpoint.status ?? 200)
          .type(
            endpoint.produces.startsWith('text/')
              ? `${endpoint.produces}; charset=utf-8`
              : endpoint.produces,
          )
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(Readable.from(file.chunks))
      },
    })
  }
}
