import { ErrorCode } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { authorize, skipAuthorization } from '../../platform/authz/index.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { signCms } from '../../platform/pki/cms-sign.js'
import { importRsaSigningKey } from '../../platform/pki/x509.js'
import type { AppConfigService } from '../app-config/index.js'
import { findSecretTeam } from '../enroll-secrets/index.js'
import type { AppleMdm } from '../mdm-setup/index.js'
import { buildEnrollmentProfile } from './enrollment-profile.js'
import type { EnrollTokenChecks } from './enroll-tokens.js'

export interface EnrollmentDeps {
  deps: Pick<Deps, 'db'>
  mdm: AppleMdm
  appConfig: AppConfigService
  /** Tokens other features issue (DEP profiles' URLs); none in tests that build this alone. */
  tokens?: EnrollTokenChecks
}

/** The file name Fleet gives the manual profile. */
export const PROFILE_FILENAME = 'fleet-mdm-enrollment-profile.mobileconfig'

/**
 * The enrollment profile, signed (CMS SignedData, content attached) with the SCEP CA — as Fleet
 * does: the CA is the one identity the server already has for its devices, so no other signing
 * certificate needs managing, and a device can check the profile came from the server whose CA
 * will issue its identity.
 */
async function signedProfile(s: EnrollmentDeps): Promise<Buffer> {
  const { push, ca, scepChallenge } = await s.mdm.current()
  if (!push || !ca || scepChallenge === undefined) {
    throw new NotFoundError(
      'Apple MDM',
      ErrorCode.MDM_NOT_CONFIGURED,
      'Apple MDM is not configured: upload an APNs certificate first',
    )
  }
  const config = await s.appConfig.current()
  const serverUrl = config.server_settings.server_url
  if (!serverUrl) {
    throw new ConflictError(
      "Couldn't build the enrollment profile: set server_settings.server_url (the URL devices reach this server at)",
    )
  }
  const xml = buildEnrollmentProfile({
    serverUrl,
    topic: push.topic,
    challenge: scepChallenge,
    orgName: config.org_info.org_name,
  })
  return signCms({
    content: Buffer.from(xml, 'utf8'),
    signerCertDer: ca.certDer,
    signerKey: await importRsaSigningKey(ca.keyPem),
  })
}

/** `GET /enrollment_profiles/manual`, for users who add hosts. */
export async function manualEnrollmentProfile(s: EnrollmentDeps, ctx: RequestCtx): Promise<Buffer> {
  authorize(ctx.authz, { type: 'mdm_enrollment_profile' }, 'read')
  return signedProfile(s)
}

/**
 * `GET /api/mdm/apple/enroll?token=…`, for a device's browser or Setup Assistant: the token is an
 * enroll secret (the same secret that enrolls fleetd), so whoever may enroll a host may enroll it
 * in MDM, or a token another feature issued (a DEP profile's). A wrong or missing token is 403,
 * never 401.
 */
export async function enrollProfileForToken(
  s: EnrollmentDeps,
  ctx: RequestCtx,
  token: string,
): Promise<Buffer> {
  const team = token ? await findSecretTeam(s.deps.db, token) : undefined
  const other = team === undefined && token ? await s.tokens?.accepts(s.deps.db, token) : false
  if (team === undefined && !other) {
    throw new ForbiddenError('invalid or missing enrollment token')
  }
  skipAuthorization(ctx.authz)
  return signedProfile(s)
}
