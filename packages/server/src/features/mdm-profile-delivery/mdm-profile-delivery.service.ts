import type { HostConfigurationProfile, HostMdmProfile, ProfilesSummary } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import { findProfile, type ProfileRow } from '../mdm-profiles/index.js'
import * as store from './profile-status.store.js'

export type DeliveryDeps = Pick<Deps, 'db' | 'clock'>

/** Fleet's answer to a resend of a profile still on its way. */
export const RESEND_IN_FLIGHT =
  'Couldn’t resend. Configuration profiles with “pending” or “verifying” status can’t be resent.'
/** Declarations are synced by DDM, not sent one by one: Fleet refuses to resend them too. */
export const RESEND_DECLARATION = 'Can’t resend declaration (DDM) profiles.'
/** Fleet's answer to a resend of a profile the host does not have. */
export const RESEND_NOT_ON_HOST = 'Unable to match profile to host.'

/** A `.mobileconfig` profile (`a…`) authorized for `action` on its team; 404 otherwise. */
async function mustFindProfile(
  deps: DeliveryDeps,
  ctx: RequestCtx,
  uuid: string,
  action: 'read' | 'write',
): Promise<ProfileRow> {
  const profile = await findProfile(deps.db, uuid)
  if (!profile) {
    // Decide something for the backstop; the answer is the same for everyone.
    authorize(ctx.authz, { type: 'mdm_config_profile', teamId: null }, action)
    throw new NotFoundError(`configuration profile ${uuid}`)
  }
  authorize(ctx.authz, { type: 'mdm_config_profile', teamId: profile.teamId }, action)
  return profile
}

function resendable(profile: ProfileRow): ProfileRow {
  if (profile.kind === 'declaration') {
    throw InvalidArgumentError.field('profile_uuid', RESEND_DECLARATION)
  }
  return profile
}

/** The host, readable by the caller; 404 (after a decision) when it does not exist. */
async function mustFindHost(
  deps: DeliveryDeps,
  ctx: RequestCtx,
  id: number,
): Promise<store.HostRef> {
  const host = await store.findHostRef(deps.db, id)
  if (!host) {
    authorize(ctx.authz, { type: 'host' }, 'list')
    throw new NotFoundError(`host ${id}`)
  }
  authorize(ctx.authz, { type: 'host', teamId: host.teamId }, 'read')
  return host
}

/**
 * Hosts by their status for one profile or declaration (install rows only: a host it is being
 * removed from is no longer its target). Not sent yet counts as pending, as in Fleet.
 */
export async function profileStatus(
  deps: DeliveryDeps,
  ctx: RequestCtx,
  profileUuid: string,
): Promise<ProfilesSummary> {
  const profile = await mustFindProfile(deps, ctx, profileUuid, 'read')
  const counts = { verified: 0, verifying: 0, pending: 0, failed: 0 }
  for (const { status, n } of await store.statusCounts(deps.db, profile.kind, profileUuid)) {
    const key =
      status === 'verified' || status === 'verifying' || status === 'failed' ? status : 'pending'
    counts[key] += n
  }
  return counts
}

function statusOf(status: string | null): HostMdmProfile['status'] {
  return status === 'pending' ||
    status === 'verifying' ||
    status === 'verified' ||
    status === 'failed'
    ? status
    : null
}

/** A host's `.mobileconfig` rows as Fleet's profile objects, with where each stands. */
export async function hostProfiles(
  deps: DeliveryDeps,
  ctx: RequestCtx,
  hostId: number,
): Promise<{ host_id: number; profiles: HostConfigurationProfile[] }> {
  const host = await mustFindHost(deps, ctx, hostId)
  const rows = await store.hostProfileRows(deps.db, host.uuid)
  return {
    host_id: host.id,
    profiles: rows.map((r) => ({
      profile_uuid: r.profileUuid,
      team_id: r.profile ? r.profile.teamId || null : host.teamId,
      name: r.name,
      platform: 'darwin',
      identifier: r.identifier,
      checksum: Buffer.from(r.checksum, 'hex').toString('base64'),
      created_at: new Date(r.profile?.createdAt ?? r.updatedAt).toISOString(),
      updated_at: new Date(r.profile?.uploadedAt ?? r.updatedAt).toISOString(),
      status: statusOf(r.status),
      operation_type: r.operation === 'remove' ? 'remove' : 'install',
      detail: r.detail ?? '',
    })),
  }
}

/**
 * Sends a profile to one host again: its row goes back to "not sent", which the next reconcile run
 * (30 s) turns into an InstallProfile. Only a verified or failed install can be resent.
 */
export async function resendToHost(
  deps: DeliveryDeps,
  ctx: RequestCtx,
  hostId: number,
  profileUuid: string,
): Promise<void> {
  const host = await mustFindHost(deps, ctx, hostId)
  const profile = resendable(await mustFindProfile(deps, ctx, profileUuid, 'write'))
  const row = (await store.hostProfileRows(deps.db, host.uuid)).find(
    (r) => r.profileUuid === profileUuid && r.operation === 'install',
  )
  if (!row) {
    throw new NotFoundError(
      `profile ${profileUuid} on host ${hostId}`,
      undefined,
      RESEND_NOT_ON_HOST,
    )
  }
  if (row.status !== 'verified' && row.status !== 'failed') {
    throw new ConflictError(RESEND_IN_FLIGHT)
  }
  await deps.db.transaction().execute(async (trx) => {
    await store.markForResend(trx, host.uuid, profileUuid, deps.clock.now().getTime())
    await recordActivity(trx, deps.clock, ctx, {
      type: 'resent_configuration_profile',
      details: {
        host_id: host.id,
        host_display_name: host.displayName,
        profile_name: profile.name,
      },
    })
  })
}

/** Sends a profile again to every host where it failed; the activity says to how many. */
export async function resendFailed(
  deps: DeliveryDeps,
  ctx: RequestCtx,
  profileUuid: string,
): Promise<number> {
  const profile = resendable(await mustFindProfile(deps, ctx, profileUuid, 'write'))
  return deps.db.transaction().execute(async (trx) => {
    const count = await store.markFailedForResend(trx, profileUuid, deps.clock.now().getTime())
    await recordActivity(trx, deps.clock, ctx, {
      type: 'resent_configuration_profile_batch',
      details: { profile_name: profile.name, host_count: count },
    })
    return count
  })
}
