import {
  endpointPaths,
  ErrorCode,
  type Endpoint,
  type EndpointRequest,
  type EndpointResponse,
} from '@fleet/api'
import type { FastifyInstance, FastifyRequest } from 'fastify'
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
) => Promise<EndpointResponse<E>>

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
        if (endpoint.auth === 'user') {
          await authenticateRequest(registrar, request, options)
        }
        const input = {
          params: parsePart(endpoint.params, request.params, 'params'),
          query: parsePart(endpoint.query, request.query, 'query'),
          body: parsePart(endpoint.body, request.body, 'body'),
        } as EndpointRequest<E>
        const result = await handler(input, request.ctx, request)
        if (!request.ctx.authz.checked) {
          request.log.error({ url }, 'route returned without an authorization check')
          throw new ForbiddenError()
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
