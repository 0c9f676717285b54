import {
  CarveBeginRequest,
  CarveBlockRequest,
  DistributedWriteRequest,
  LogRequest,
  NodeKeyRequest,
  OSQUERY_PATHS,
  OsqueryEnrollRequest,
  type OsqueryErrorBody,
} from '@fleet/api'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { createGunzip, createInflate } from 'node:zlib'
import type { z } from 'zod'
import type { Deps } from '../../deps.js'
import { beginCarve, CarveRequestError, storeCarveBlock } from '../../features/carves/index.js'
import { LogBufferFullError, type OsqueryLogService } from '../../features/osquery-logs/index.js'
import {
  AgentAuthError,
  type AgentHost,
  type HostAgentService,
} from '../../features/hosts/index.js'

/** osquery's own error shape; `node_invalid` makes it enroll again. */
function sendError(
  reply: FastifyReply,
  status: number,
  error: string,
  nodeInvalid?: boolean,
): FastifyReply {
  const body: OsqueryErrorBody = nodeInvalid ? { error, node_invalid: true } : { error }
  return reply.code(status).send(body)
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> | string {
  const result = schema.safeParse(body)
  if (result.success) {
    return result.data
  }
  const issue = result.error.issues[0]
  return `invalid request: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'malformed'}`
}

/** Errors before a handler runs (bad JSON, oversized or undecodable bodies) in osquery's shape. */
function agentErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const undecodable =
    err instanceof SyntaxError || (typeof err.code === 'string' && err.code.startsWith('Z_'))
  const status = err.statusCode && err.statusCode < 500 ? err.statusCode : undecodable ? 400 : 500
  if (status >= 500) {
    request.log.error({ err, url: request.url }, 'agent request failed')
    void sendError(reply, 500, 'internal error')
    return
  }
  void sendError(reply, status, status === 413 ? 'request body too large' : 'invalid request body')
}

/**
 * osquery's TLS remote API at `/api/osquery/*` and `/api/v1/osquery/*`. Thin: authenticate by
 * node key, validate, call the hosts agent service. Bodies may be gzip- or deflate-encoded
 * (osquery's logger_tls_compress); the body limit applies to the decoded size.
 */
/** A carve block (up to 8 MB, base64 in JSON) may exceed the server's usual body limit. */
const CARVE_BLOCK_BODY_LIMIT = 12 * 1024 * 1024

export function registerOsqueryRoutes(
  app: FastifyInstance,
  agents: HostAgentService,
  deps: Pick<Deps, 'db' | 'clock'>,
  logs?: Pick<OsqueryLogService, 'submit'>,
): void {
  const paths = (path: string) => [path, path.replace('/api/osquery/', '/api/v1/osquery/')]

  const route = (
    path: string,
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    options: { bodyLimit?: number } = {},
  ) => {
    for (const url of paths(path)) {
      app.route({
        method: 'POST',
        url,
        ...options,
        errorHandler: agentErrorHandler,
        preParsing: (request, _reply, payload, done) => {
          const encoding = request.headers['content-encoding']
          if (encoding !== 'gzip' && encoding !== 'deflate') {
            done(null, payload)
            return
          }
          const decoded = Object.assign(encoding === 'gzip' ? createGunzip() : createInflate(), {
            receivedEncodedLength: 0,
          })
          // fastify compares content-length with the bytes received on the wire, not decoded ones.
          payload.on('data', (chunk: Buffer) => {
            decoded.receivedEncodedLength += chunk.length
          })
          done(null, payload.pipe(decoded))
        },
        handler,
      })
    }
  }

  /** Authenticates by node key, or answers node_invalid. */
  const authenticated =
    (
      handle: (
        host: AgentHost,
        body: unknown,
        request: FastifyRequest,
        reply: FastifyReply,
      ) => Promise<unknown>,
    ) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const key = parse(NodeKeyRequest, request.body)
      if (typeof key === 'string') {
        return sendError(reply, 401, 'authentication error: missing node key', true)
      }
      try {
        const host = await agents.authenticate(key.node_key)
        return await handle(host, request.body, request, reply)
      } catch (err) {
        if (err instanceof AgentAuthError) {
          return sendError(reply, 401, err.message, err.nodeInvalid)
        }
        throw err
      }
    }

  route(OSQUERY_PATHS.enroll, async (request, reply) => {
    const input = parse(OsqueryEnrollRequest, request.body)
    if (typeof input === 'string') {
      return sendError(reply, 400, input)
    }
    try {
      return { node_key: await agents.enroll(input, request.ip) }
    } catch (err) {
      if (err instanceof AgentAuthError) {
        request.log.info({ ip: request.ip }, 'osquery enroll refused: invalid enroll secret')
        return sendError(reply, 401, err.message, true)
      }
      throw err
    }
  })

  route(
    OSQUERY_PATHS.config,
    authenticated((host) => agents.config(host)),
  )

  route(
    OSQUERY_PATHS.distributedRead,
    authenticated((host) => agents.distributedRead(host)),
  )

  route(
    OSQUERY_PATHS.distributedWrite,
    authenticated(async (host, body, request, reply) => {
      const input = parse(DistributedWriteRequest, body)
      if (typeof input === 'string') {
        return sendError(reply, 400, input)
      }
      await agents.distributedWrite(host, input, request.ip)
      return {}
    }),
  )

  route(
    OSQUERY_PATHS.log,
    authenticated(async (host, body, request, reply) => {
      const input = parse(LogRequest, body)
      if (typeof input === 'string') {
        return sendError(reply, 400, input)
      }
      agents.recordLogCheckIn(host)
      request.log.debug(
        { hostId: host.id, type: input.log_type, lines: input.data.length },
        'osquery logs received',
      )
      if (logs) {
        try {
          await logs.submit(host, input.log_type, input.data)
        } catch (err) {
          if (err instanceof LogBufferFullError) {
            // osquery keeps the lines and sends them again with its next batch.
            return sendError(reply, 503, err.message)
          }
          throw err
        }
      }
      return {}
    }),
  )

  route(
    OSQUERY_PATHS.carveBegin,
    authenticated(async (host, body, _request, reply) => {
      const input = parse(CarveBeginRequest, body)
      if (typeof input === 'string') {
        return sendError(reply, 400, input)
      }
      try {
        return { session_id: await beginCarve(deps, host, input), success: true }
      } catch (err) {
        if (err instanceof CarveRequestError) {
          return sendError(reply, 400, err.message)
        }
        throw err
      }
    }),
  )

  // No node key here, as in osquery's protocol: the session id from carve/begin is the credential.
  route(
    OSQUERY_PATHS.carveBlock,
    async (request, reply) => {
      const input = parse(CarveBlockRequest, request.body)
      if (typeof input === 'string') {
        return sendError(reply, 400, input)
      }
      try {
        await storeCarveBlock(deps, input)
        return { success: true }
      } catch (err) {
        if (err instanceof CarveRequestError) {
          return sendError(reply, 400, err.message)
        }
        throw err
      }
    },
    { bodyLimit: CARVE_BLOCK_BODY_LIMIT },
  )
}
