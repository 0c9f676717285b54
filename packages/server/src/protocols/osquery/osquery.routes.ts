import {
  CarveBeginRequest,
  CarveBlockRequest,
  DistributedWriteRequest,
  LogRequest,
  NodeKeyRequest,
  OSQUERY_PATHS,
  OsqueryEnrollRequest,
} from '@fleet/api'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { EndpointRegistrar } from '../../platform/http/index.js'
import { createGunzip, createInflate } from 'node:zlib'
import type { z } from 'zod'
import type { Deps } from '../../deps.js'
import { beginCarve, storeCarveBlock } from '../../features/carves/index.js'
import type { OsqueryLogService } from '../../features/osquery-logs/index.js'
import type { AgentHost, HostAgentService } from '../../features/hosts/index.js'
import { AuthRequiredError, parseInput } from '../../platform/errors/index.js'

/** A body checked with its contract schema; a bad one is a 400 naming the field. */
function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  return parseInput(schema, body, 'body')
}

/** A carve block (up to 8 MB, base64 in JSON) may exceed the server's usual body limit. */
const CARVE_BLOCK_BODY_LIMIT = 12 * 1024 * 1024

/**
 * osquery's TLS remote API at `/api/osquery/*` and `/api/v1/osquery/*`. Thin: authenticate by
 * node key, validate, call the hosts agent service. Bodies may be gzip- or deflate-encoded
 * (osquery's logger_tls_compress); the body limit applies to the decoded size.
 */
export function registerOsqueryRoutes(
  { app }: EndpointRegistrar,
  {
    agents,
    deps,
    logs,
  }: {
    agents: HostAgentService
    deps: Pick<Deps, 'db' | 'clock'>
    logs?: Pick<OsqueryLogService, 'submit'>
  },
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
        // Refusals and failures are answered in osquery's `{error, node_invalid}` shape.
        config: { errorShape: 'osquery' },
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

  /** Authenticates by node key: an unknown or missing one is refused with node_invalid. */
  const authenticated =
    (handle: (host: AgentHost, body: unknown, request: FastifyRequest) => Promise<unknown>) =>
    async (request: FastifyRequest) => {
      const key = NodeKeyRequest.safeParse(request.body)
      if (!key.success) {
        throw new AuthRequiredError('authentication error: missing node key')
      }
      const host = await agents.authenticate(key.data.node_key)
      return handle(host, request.body, request)
    }

  route(OSQUERY_PATHS.enroll, async (request) => ({
    node_key: await agents.enroll(parse(OsqueryEnrollRequest, request.body), request.ip),
  }))

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
    authenticated(async (host, body, request) => {
      await agents.distributedWrite(host, parse(DistributedWriteRequest, body), request.ip)
      return {}
    }),
  )

  route(
    OSQUERY_PATHS.log,
    authenticated(async (host, body, request) => {
      const input = parse(LogRequest, body)
      agents.recordLogCheckIn(host)
      request.log.debug(
        { hostId: host.id, type: input.log_type, lines: input.data.length },
        'osquery logs received',
      )
      // A full log buffer is a 503: osquery keeps the lines and sends them again with its next batch.
      await logs?.submit(host, input.log_type, input.data)
      return {}
    }),
  )

  route(
    OSQUERY_PATHS.carveBegin,
    authenticated(async (host, body) => ({
      session_id: await beginCarve(deps, host, parse(CarveBeginRequest, body)),
      success: true,
    })),
  )

  // No node key here, as in osquery's protocol: the session id from carve/begin is the credential.
  route(
    OSQUERY_PATHS.carveBlock,
    async (request) => {
      await storeCarveBlock(deps, parse(CarveBlockRequest, request.body))
      return { success: true }
    },
    { bodyLimit: CARVE_BLOCK_BODY_LIMIT },
  )
}
