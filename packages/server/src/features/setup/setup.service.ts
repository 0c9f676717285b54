import { ErrorCode, httpUrlProblem, type SetupRequest } from '@fleet/api'
import { skipAuthorization } from '../../platform/authz/index.js'
import { ConflictError, ValidationError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import type { AppConfigService } from '../app-config/index.js'
import { createSession } from '../sessions/index.js'
import {
  countUsers,
  hashPassword,
  insertUserRecord,
  passwordProblem,
  type User,
  type UserDeps,
} from '../users/index.js'

/**
 * First-time setup: creates the first global admin and the organization's name and URL, and
 * returns a session for the admin. Refused once any user exists.
 */
export async function runSetup(
  deps: UserDeps,
  appConfig: AppConfigService,
  ctx: RequestCtx,
  input: SetupRequest,
): Promise<{ admin: User; token: string; orgName: string; serverUrl: string }> {
  skipAuthorization(ctx.authz)
  if ((await countUsers(deps.db)) > 0) {
    throw new ConflictError('Fleet has already been set up', ErrorCode.SETUP_ALREADY_DONE)
  }
  const { admin } = input
  const problems = []
  const problem = passwordProblem(admin.password)
  if (problem) {
    problems.push({ name: 'admin.password', reason: problem })
  }
  if (admin.password_confirmation !== undefined && admin.password_confirmation !== admin.password) {
    problems.push({ name: 'admin.password_confirmation', reason: 'does not match password' })
  }
  const serverUrl = (input.server_url ?? '').replace(/\/+$/, '')
  const serverUrlProblem = httpUrlProblem(serverUrl)
  if (serverUrlProblem) {
    problems.push({ name: 'server_url', reason: serverUrlProblem })
  }
  if (problems.length > 0) {
    throw new ValidationError(problems)
  }
  const passwordHash = await hashPassword(admin.password, deps.config.auth.scrypt_cost)
  return deps.db.transaction().execute(async (trx) => {
    if ((await countUsers(trx)) > 0) {
      throw new ConflictError('Fleet has already been set up', ErrorCode.SETUP_ALREADY_DONE)
    }
    const user = await insertUserRecord(
      trx,
      deps,
      {},
      {
        name: admin.name,
        email: admin.email,
        passwordHash,
        globalRole: 'admin',
        teams: [],
        apiOnly: false,
        ssoEnabled: false,
        forcePasswordReset: false,
      },
    )
    await appConfig.writeInitialSettings(trx, input.org_info.org_name, serverUrl)
    const { token } = await createSession(trx, user.id, deps.clock.now().getTime())
    return { admin: user, token, orgName: input.org_info.org_name, serverUrl }
  })
}
