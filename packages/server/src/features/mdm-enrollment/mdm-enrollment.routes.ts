import { getManualEnrollmentProfile } from '@fleet/api'
import { registerStreamEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import * as service from './mdm-enrollment.service.js'

/** Fleet's path serving the enrollment profile to devices. */
export const ENROLL_PATH = '/api/mdm/apple/enroll'

async function* once(bytes: Buffer): AsyncIterable<Uint8Array> {
  yield bytes
}

export function registerEnrollmentRoutes(r: EndpointRegistrar, s: service.EnrollmentDeps): void {
  registerStreamEndpoint(r, getManualEnrollmentProfile, async (_input, ctx) => ({
    filename: service.PROFILE_FILENAME,
    chunks: once(await service.manualEnrollmentProfile(s, ctx)),
  }))
  r.app.get<{ Querystring: { token?: string } }>(ENROLL_PATH, async (request, reply) => {
    const profile = await service.enrollProfileForToken(s, request.ctx, request.query.token ?? '')
    request.log.debug('enrollment profile served')
    return reply
      .type('application/x-apple-aspen-config')
      .header('content-disposition', `attachment; filename="${service.PROFILE_FILENAME}"`)
      .header('x-content-type-options', 'nosniff')
      .send(profile)
  })
}
