import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { skipAuthorization } from '../../platform/authz/index.js'
import { InvalidArgumentError } from '../../platform/errors/index.js'
import * as service from './mdm-scep.service.js'
import { CA_CAPS } from './scep-message.js'

/** Fleet's SCEP URL, which enrollment profiles name. */
export const SCEP_PATH = '/mdm/apple/scep'

/** A PKIOperation body is a CMS message of a few KiB; anything far larger is not one. */
const MAX_MESSAGE_BYTES = 256 * 1024

interface ScepQuery {
  operation?: string
  message?: string
}

async function answer(
  s: service.ScepDeps,
  request: FastifyRequest<{ Querystring: ScepQuery }>,
  reply: FastifyReply,
) {
  // Devices authenticate with the challenge inside the message, not a session.
  skipAuthorization(request.ctx.authz)
  const { operation = '', message } = request.query
  request.log.debug({ operation, method: request.method }, 'SCEP request')
  switch (operation) {
    case 'GetCACaps':
      return reply.type('text/plain').send(CA_CAPS.join('\n'))
    case 'GetCACert':
      return reply.type('application/x-x509-ca-cert').send(await service.caCertificate(s))
    case 'PKIOperation': {
      const body =
        request.method === 'POST' && Buffer.isBuffer(request.body)
          ? request.body
          : // a client that did not URL-escape its base64 sends '+' as ' '
            Buffer.from((message ?? '').replace(/ /g, '+'), 'base64')
      if (body.length === 0) {
        throw InvalidArgumentError.field('message', 'missing SCEP message')
      }
      const rep = await service.pkiOperation(s, body, request.log)
      return reply.type('application/x-pki-message').send(rep)
    }
    default:
      throw InvalidArgumentError.field('operation', `unknown SCEP operation "${operation}"`)
  }
}

/**
 * The SCEP server at Fleet's path: GET for GetCACaps, GetCACert and PKIOperation (base64 in
 * `message`), POST for PKIOperation with the DER body. Devices are never answered 401: every
 * refusal is a 400.
 */
export async function registerScepRoutes(app: FastifyInstance, s: service.ScepDeps): Promise<void> {
  await app.register(async (scoped) => {
    // SCEP bodies are raw DER, whatever content type the client names (x-pki-message, octet-stream…).
    scoped.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: MAX_MESSAGE_BYTES },
      (_req, body, done) => done(null, body),
    )
    const handler = (request: FastifyRequest<{ Querystring: ScepQuery }>, reply: FastifyReply) =>
      answer(s, request, reply)
    scoped.get(SCEP_PATH, handler)
    scoped.post(SCEP_PATH, { bodyLimit: MAX_MESSAGE_BYTES }, handler)
  })
}
