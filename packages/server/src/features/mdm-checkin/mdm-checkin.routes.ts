import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { skipAuthorization } from '../../platform/authz/index.js'
import { MAX_COMMAND_RESULT_BYTES } from '../mdm-commands/index.js'
import { MDM_PATH } from '../mdm-enrollment/index.js'
import * as service from './mdm-checkin.service.js'

/** Check-ins carry this content type; anything else to the ServerURL is a command report. */
const CHECKIN_CONTENT_TYPE = 'application/x-apple-aspen-mdm-checkin'

/**
 * Room above the result cap so an oversized result reaches `parseCommandReport` and gets its
 * 400 (BODY_TOO_LARGE) rather than fastify's 413.
 */
const BODY_LIMIT = MAX_COMMAND_RESULT_BYTES + 64 * 1024

async function answer(s: service.CheckinDeps, request: FastifyRequest, reply: FastifyReply) {
  // Devices authenticate with Mdm-Signature (checked by the service), never a session.
  skipAuthorization(request.ctx.authz)
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
  const header = request.headers['mdm-signature']
  const signature = Array.isArray(header) ? header[0] : header
  const isCheckin = String(request.headers['content-type'] ?? '').startsWith(CHECKIN_CONTENT_TYPE)
  const deviceRequest = { body, signature, log: request.log }
  try {
    const result = isCheckin
      ? await service.checkin(s, deviceRequest)
      : await service.commandReport(s, deviceRequest)
    if (result.status === 410) {
      return reply.code(410).send()
    }
    if (result.body === undefined) {
      return reply.code(200).send()
    }
    return reply.type(result.contentType ?? 'application/xml').send(result.body)
  } catch (err) {
    // Every refusal is logged (the device only sees a 400); never the body or the signature.
    request.log.info({ err, checkin: isCheckin }, 'MDM request refused')
    throw err
  }
}

/**
 * The MDM ServerURL (Fleet's `/mdm/apple/mdm`): check-ins and command reports, PUT (Apple
 * devices) or POST, XML plist bodies kept as exact bytes for the signature check.
 */
export async function registerCheckinRoutes(
  app: FastifyInstance,
  s: service.CheckinDeps,
): Promise<void> {
  await app.register(async (scoped) => {
    scoped.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
      (_req, body, done) => done(null, body),
    )
    const handler = (request: FastifyRequest, reply: FastifyReply) => answer(s, request, reply)
    scoped.put(MDM_PATH, { bodyLimit: BODY_LIMIT }, handler)
    scoped.post(MDM_PATH, { bodyLimit: BODY_LIMIT }, handler)
  })
}
