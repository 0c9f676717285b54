import {
  CarveBeginRequest,
  CarveBlockRequest,
  DistributedWriteRequest,
  LogRequest,
  NodeKeyRequest,
  OSQUERY_PATHS,
  OsqueryEnrollRequest,
} from '@fleet/api'
import type { FastifyReply, FastifyRequest, RawRequestDefaultExpression } from 'fastify'
import type { Readable } from 'node:stream'
import { createGunzip, createInflate } from 'node:zlib'
import type { z } from 'zod'
import type { Deps } from '../../deps.js'
import { beginCarve, storeCarveBlock } from '../../features/carves/index.js'
import type { OsqueryLogService } from '../../features/osquery-logs/index.js'
import type { AgentHost, HostAgentService } from '../../features/hosts/index.js'
import { AuthRequiredError, parseInput, UnavailableError } from '../../platform/errors/index.js'
import type { EndpointRegistrar } from '../../platform/http/index.js'
import { isLargeBody, LargeBodySlots, nodeKeyGate } from './large-body-gate.js'

/** A body checked with its contract schema; a bad one is a 400 naming the field. */
function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  return parseInput(schema, body, 'body')
}

/** A carve block (up to 8 MB, base64 in JSON) may exceed the server's usual body limit. */
const CARVE_BLOCK_BODY_LIMIT = 12 * 1024 * 1024

/**
 * The body as sent, or decoded when gzip- or deflate-encoded (osquery's logger_tls_compress).
 * The decoded stream reports the bytes received on the wire as `receivedEncodedLength`, which
 * fastify compares with content-length (the body limit applies to both sizes).
 */
function decode(
  request: FastifyRequest,
  payload: RawRequestDefaultExpression | Readable,
): Readable {
  const encoding = request.headers['content-encoding']
  if (encoding !== 'gzip' && encoding !== 'deflate') {
    return payload
  }
  const decoded = Object.assign(encoding === 'gzip' ? createGunzip() : createInflate(), {
    receivedEncodedLength: 0,
  })
  payload.on('data', (chunk: Buffer) => {
    decoded.receivedEncodedLength += chunk.length
  })
  return payload.pipe(decoded)
}

/**
 * osquery's TLS remote API at `/api/osquery/*` and `/api/v1/osquery/*`. Thin: authenticate by
 * node key, validate, call the hosts agent service. Bodies may be gzip- or deflate-encoded
 * (osquery's logger_tls_compress); the body limit applies to the decoded size.
 *
 * Large bodies (`large-body-gate.ts`) are capped in number at once
 * (`osquery.max_concurrent_large_bodies`, else 503 with Retry-After), and on node-key routes
 * their node key is found without parsing and checked before the body is parsed, so posting
 * megabytes with a wrong key costs no more than reading them.
 */
export function registerOsqueryRoutes(
  { app }: EndpointRegistrar,
  {
    agents,
    deps,
    logs,
  }: {
    agents: HostAgentService
    deps: Pick<Deps, 'db' | 'clock' | 'config'>
    logs?: Pick<OsqueryLogService, 'submit'>
  },
): void {
  const paths = (path: string) => [path, path.replace('/api/osquery/', '/api/v1/osquery/')]

  const slots = new LargeBodySlots(deps.config.osquery.max_concurrent_large_bodies)
  /** The (decoded) body stream; a large one takes a slot and, with `nodeKey`, the gate. */
  const readBody = (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: RawRequestDefaultExpression | Readable,
    nodeKey: boolean,
  ): Readable => {
    if (!isLargeBody(request.headers)) {
      return decode(request, payload)
    }
    const release = slots.tryAcquire()
    if (!release) {
      throw new UnavailableError('too many large request bodies at once; send it again later', {
        retryAfterSeconds: 1,
      })
    }
    reply.raw.once('close', release)
    if (!nodeKey) {
      return decode(request, payload)
    }
    return nodeKeyGate(decode(request, payload), {
      limit: request.routeOptions.bodyLimit,
      authenticate: (key) => agents.authenticate(key),
      // The rest of the body is not read: close the connection once refused.
      onEarlyRefusal: () => void reply.header('connection', 'close'),
    })
  }
  const route = (
    path: string,
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    options: { bodyLimit?: number; nodeKey?: boolean } = {},
  ) => {
    for (const url of paths(path)) {
      app.route({
        method: 'POST',
        url,
        ...(options.bodyLimit !== undefined && { bodyLimit: options.bodyLimit }),
        // Refusals and failures are answered in osquery's `{error, node_invalid}` shape.
        config: { errorShape: 'osquery' },
        preParsing: (request, reply, payload, done) => {
          try {
            done(null, readBody(request, reply, payload, options.nodeKey === true))
          } catch (err) {
            done(err instanceof Error ? err : new Error(String(err)))
          }
        },
        handler,
      })
    }
  }

  /**
   * A route authenticated by node key: an unknown or missing one is refused with node_invalid.
   * The parsed body's key decides, also when a large body's key was checked before parsing.
   */
  const authenticated = (
    path: string,
    handle: (host: AgentHost, body: unknown, request: FastifyRequest) => Promise<unknown>,
  ) =>
    route(
      path,
      async (request: FastifyRequest) => {
        const key = NodeKeyRequest.safeParse(request.body)
        if (!key.success) {
          throw new AuthRequiredError('authentication error: missing node key')
        }
        const host = await agents.authenticate(key.data.node_key)
        return handle(host, request.body, request)
      },
      { nodeKey: true },
    )

  route(OSQUERY_PATHS.enroll, async (request) => ({
    node_key: await agents.enroll(parse(OsqueryEnrollRequest, request.body), request.ip),
  }))

  authenticated(OSQUERY_PATHS.config, (host) => agents.config(host))

  authenticated(OSQUERY_PATHS.distributedRead, (host) => agents.distributedRead(host))

  authenticated(OSQUERY_PATHS.distributedWrite, async (host, body, request) => {
    await agents.distributedWrite(host, parse(DistributedWriteRequest, body), request.ip)
    return {}
  })

  authenticated(OSQUERY_PATHS.log, async (host, body, request) => {
    const input = parse(LogRequest, body)
    agents.recordLogCheckIn(host)
    request.log.debug(
      { hostId: host.id, type: input.log_type, lines: input.data.length },
      'osquery logs received',
    )
    // A full log buffer is a 503: osquery keeps the lines and sends them again with its next batch.
    await logs?.submit(host, input.log_type, input.data)
    return {}
  })

  authenticated(OSQUERY_PATHS.carveBegin, async (host, body) => ({
    session_id: await beginCarve(deps, host, parse(CarveBeginRequest, body)),
    success: true,
  }))

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
