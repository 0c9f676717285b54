import {
  CAPABILITIES_HEADER,
  ORBIT_CAPABILITIES,
  ORBIT_PATHS,
  OrbitDeviceTokenRequest,
  OrbitEnrollRequest,
  OrbitNodeKeyRequest,
} from '@fleet/api'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { EndpointRegistrar } from '../../platform/http/index.js'
import type { z } from 'zod'
import type { OrbitAgentService, OrbitHost } from '../../features/hosts/index.js'
import { parseInput } from '../../platform/errors/index.js'

/** Validates a body with its contract schema: 400 in Fleet's shape, naming each bad field. */
function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  return parseInput(schema, body ?? {}, 'body')
}

/**
 * Orbit's API at `/api/fleet/orbit/*` (and `/api/v1/fleet/orbit/*`). Thin: validate, authenticate
 * by the orbit node key in the body, call the hosts feature's orbit service. Errors are Fleet's
 * error body; every response carries the server's orbit capabilities.
 */
export function registerOrbitRoutes(
  { app }: EndpointRegistrar,
  { orbit }: { orbit: OrbitAgentService },
): void {
  const capabilities = ORBIT_CAPABILITIES.join(',')
  const route = (
    method: 'POST' | 'HEAD',
    path: string,
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  ) => {
    for (const url of [path, path.replace('/api/fleet/', '/api/v1/fleet/')]) {
      app.route({
        method,
        url,
        // Set before the body is read, so that errors carry it too.
        onRequest: (_request, reply, done) => {
          void reply.header(CAPABILITIES_HEADER, capabilities)
          done()
        },
        handler,
      })
    }
  }
  const authenticated = (request: FastifyRequest): Promise<OrbitHost> =>
    orbit.authenticate(parseBody(OrbitNodeKeyRequest, request.body).orbit_node_key)

  route('POST', ORBIT_PATHS.enroll, async (request) => ({
    orbit_node_key: await orbit.enroll(request.ctx, parseBody(OrbitEnrollRequest, request.body)),
  }))

  route('POST', ORBIT_PATHS.config, async (request) => orbit.config(await authenticated(request)))

  route('POST', ORBIT_PATHS.deviceToken, async (request) => {
    const host = await authenticated(request)
    const body = parseBody(OrbitDeviceTokenRequest, request.body)
    await orbit.setDeviceToken(host, body.device_auth_token)
    return {}
  })

  route('HEAD', ORBIT_PATHS.ping, async (_request, reply) => reply.code(200).send())
}
