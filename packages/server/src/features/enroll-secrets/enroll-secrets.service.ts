import { ErrorCode } from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { AlreadyExistsError, InvalidArgumentError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import { duplicateSecret, type EnrollSecret } from './enroll-secret.js'
import * as store from './enroll-secrets.store.js'

type SecretDeps = Pick<Deps, 'db' | 'clock'>

/**
 * Validates and stores a scope's secrets inside the caller's transaction, with its audit record.
 * A secret already used by another team (or globally) is refused: it would make enrollment ambiguous.
 */
export async function replaceScopeSecrets(
  trx: Db,
  deps: SecretDeps,
  ctx: Pick<RequestCtx, 'actor'>,
  scope: { teamId: number | null; teamName: string | null },
  secrets: readonly { secret: string }[],
): Promise<void> {
  const duplicate = duplicateSecret(secrets)
  if (duplicate !== undefined) {
    throw InvalidArgumentError.field('secrets', 'each secret may be listed only once')
  }
  const values = secrets.map((s) => s.secret)
  const taken = await store.secretsTakenElsewhere(trx, scope.teamId, values)
  if (taken.length > 0) {
    throw new AlreadyExistsError(
      'secrets',
      'a secret is already in use by another team or globally',
      ErrorCode.ENROLL_SECRET_EXISTS,
    )
  }
  await store.replaceSecrets(trx, scope.teamId, values, deps.clock.now().getTime())
  await recordActivity(trx, deps.clock, ctx, {
    type: 'edited_enroll_secrets',
    details: { team_id: scope.teamId, team_name: scope.teamName, secret_count: values.length },
  })
}

export async function getGlobalSecrets(deps: SecretDeps, ctx: RequestCtx): Promise<EnrollSecret[]> {
  authorize(ctx.authz, { type: 'enroll_secret', teamId: null }, 'read')
  return store.listSecrets(deps.db, null)
}

export async function applyGlobalSecrets(
  deps: SecretDeps,
  ctx: RequestCtx,
  secrets: readonly { secret: string }[],
  dryRun: boolean,
): Promise<void> {
  authorize(ctx.authz, { type: 'enroll_secret', teamId: null }, 'write')
  await deps.db
    .transaction()
    .execute(async (trx) => {
      await replaceScopeSecrets(trx, deps, ctx, { teamId: null, teamName: null }, secrets)
      if (dryRun) {
        throw new DryRunDone()
      }
    })
    .catch(ignoreDryRun)
}

/** Thrown to roll a dry run's transaction back after everything validated. */
class DryRunDone extends Error {}

function ignoreDryRun(err: unknown): void {
  if (!(err instanceof DryRunDone)) {
    throw err
  }
}
