import { ErrorCode } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { listSecrets, replaceScopeSecrets, type EnrollSecret } from '../enroll-secrets/index.js'
import { teamNames } from './teams.read.js'

// A team's enroll secrets (`/teams/:id/secrets`): the team is checked here, the secrets are kept by
// the enroll-secrets feature.

type SecretDeps = Pick<Deps, 'db' | 'clock'>

async function mustFindTeamName(deps: SecretDeps, teamId: number): Promise<string> {
  const name = (await teamNames(deps.db, [teamId])).get(teamId)
  if (name === undefined) {
    throw new NotFoundError(`team ${teamId}`, ErrorCode.TEAM_NOT_FOUND)
  }
  return name
}

/** A team's enroll secrets. */
export async function getTeamSecrets(
  deps: SecretDeps,
  ctx: RequestCtx,
  teamId: number,
): Promise<EnrollSecret[]> {
  authorize(ctx.authz, { type: 'enroll_secret', teamId }, 'read')
  await mustFindTeamName(deps, teamId)
  return listSecrets(deps.db, teamId)
}

/** Replaces a team's enroll secrets, with its audit record. */
export async function modifyTeamSecrets(
  deps: SecretDeps,
  ctx: RequestCtx,
  teamId: number,
  secrets: readonly { secret: string }[],
): Promise<EnrollSecret[]> {
  authorize(ctx.authz, { type: 'enroll_secret', teamId }, 'write')
  const name = await mustFindTeamName(deps, teamId)
  return deps.db.transaction().execute(async (trx) => {
    await replaceScopeSecrets(trx, deps, ctx, { teamId, teamName: name }, secrets)
    return listSecrets(trx, teamId)
  })
}
