import {
  listWindow,
  type ConfigurationProfile,
  type ProfileLabel,
  type ProfilesSummary,
} from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import type { SecretVariables } from '../secret-variables/index.js'
import * as store from './mdm-profiles.store.js'
import {
  checkFile,
  labelChoice,
  mustFindTeam,
  newUuid,
  refuseDuplicates,
  requireSecrets,
  resolveLabels,
  rowOf,
  duplicateOnConflict,
} from './profile-checks.js'
import {
  appliesTo,
  modeOf,
  type LabelMode,
  type ProfileLabelRow,
  type ProfileRow,
} from './profile.js'

export interface ProfilesDeps {
  deps: Deps
  /** Checks `$FLEET_SECRET_*` references at upload. */
  secrets: SecretVariables
}

export interface UploadInput {
  filename: string
  contents: string
  teamId: number | null
  labels: Partial<Record<LabelMode, readonly string[] | undefined>>
}

/** Fleet's activity for a profile of this kind being created or deleted. */
export function profileActivity(
  verb: 'created' | 'deleted',
  p: Pick<ProfileRow, 'kind' | 'name' | 'identifier' | 'teamId'>,
  teamName: string | null,
) {
  return p.kind === 'mobileconfig'
    ? {
        type: `${verb}_macos_profile`,
        details: {
          profile_name: p.name,
          profile_identifier: p.identifier,
          team_id: p.teamId,
          team_name: teamName,
        },
      }
    : {
        type: `${verb}_declaration_profile`,
        details: {
          profile_name: p.name,
          identifier: p.identifier,
          team_id: p.teamId,
          team_name: teamName,
        },
      }
}

export async function uploadProfile(
  { deps, secrets }: ProfilesDeps,
  ctx: RequestCtx,
  input: UploadInput,
): Promise<string> {
  authorize(ctx.authz, { type: 'mdm_config_profile', teamId: input.teamId }, 'write')
  const teamName = await mustFindTeam(deps.db, input.teamId)
  const choice = labelChoice(input.labels)
  const file = checkFile(input.filename, input.contents)
  await requireSecrets(deps.db, secrets, file)
  const now = deps.clock.now().getTime()
  const row = rowOf(file, newUuid(file), input.teamId, now)
  await deps.db
    .transaction()
    .execute(async (trx) => {
      await refuseDuplicates(trx, input.teamId, file)
      const labels = await resolveLabels(trx, choice)
      await store.saveProfile(trx, row, false)
      await store.replaceLabels(trx, row.uuid, labels)
      await recordActivity(trx, deps.clock, ctx, profileActivity('created', row, teamName))
    })
    .catch(duplicateOnConflict)
  ctx.log.debug({ profile_uuid: row.uuid, kind: row.kind }, 'configuration profile added')
  return row.uuid
}

function presentLabels(
  labels: readonly ProfileLabelRow[],
): Partial<Record<LabelMode, ProfileLabel[]>> {
  const out: Partial<Record<LabelMode, ProfileLabel[]>> = {}
  for (const l of labels) {
    const list = (out[modeOf(l)] ??= [])
    list.push(
      l.labelId === null
        ? { name: l.labelName, broken: true }
        : { name: l.labelName, id: l.labelId },
    )
  }
  return out
}

function present(p: ProfileRow, labels: readonly ProfileLabelRow[]): ConfigurationProfile {
  return {
    profile_uuid: p.uuid,
    team_id: p.teamId,
    name: p.name,
    platform: 'darwin',
    identifier: p.identifier,
    ...(p.kind === 'mobileconfig'
      ? { checksum: Buffer.from(p.checksum, 'hex').toString('base64') }
      : {}),
    created_at: new Date(p.createdAt).toISOString(),
    updated_at: new Date(p.uploadedAt).toISOString(),
    ...presentLabels(labels.filter((l) => l.profileUuid === p.uuid)),
  }
}

export async function listProfiles(
  { deps }: ProfilesDeps,
  ctx: RequestCtx,
  query: { teamId: number | null; page?: number | undefined; per_page?: number | undefined },
): Promise<{
  profiles: ConfigurationProfile[]
  meta: { has_next_results: boolean; has_previous_results: boolean }
}> {
  authorize(ctx.authz, { type: 'mdm_config_profile', teamId: query.teamId }, 'read')
  await mustFindTeam(deps.db, query.teamId)
  const all = await store.teamProfiles(deps.db, query.teamId)
  const { offset, perPage } = listWindow(query)
  const page = perPage === undefined ? all.slice(offset) : all.slice(offset, offset + perPage)
  const labels = await store.labelsOf(
    deps.db,
    page.map((p) => p.uuid),
  )
  return {
    profiles: page.map((p) => present(p, labels)),
    meta: {
      has_next_results: perPage !== undefined && offset + perPage < all.length,
      has_previous_results: offset > 0,
    },
  }
}

/** The profile, authorized for `action` on its team; 404 if it does not exist. */
async function mustFind(
  db: Db,
  ctx: RequestCtx,
  uuid: string,
  action: 'read' | 'write',
): Promise<ProfileRow> {
  const profile = await store.findProfile(db, uuid)
  if (!profile) {
    // Authorize something so the backstop sees a decision; the answer is the same for everyone.
    authorize(ctx.authz, { type: 'mdm_config_profile', teamId: null }, action)
    throw new NotFoundError(`configuration profile ${uuid}`)
  }
  authorize(ctx.authz, { type: 'mdm_config_profile', teamId: profile.teamId }, action)
  return profile
}

export async function getProfile(
  { deps }: ProfilesDeps,
  ctx: RequestCtx,
  uuid: string,
): Promise<{ profile: ConfigurationProfile; file: ProfileRow }> {
  const profile = await mustFind(deps.db, ctx, uuid, 'read')
  return { profile: present(profile, await store.labelsOf(deps.db, [uuid])), file: profile }
}

/** Fleet's download name: `<YYYY-MM-DD>_<name>.<ext>`. */
export function downloadName(p: ProfileRow, now: Date): string {
  const ext = p.kind === 'mobileconfig' ? 'mobileconfig' : 'json'
  return `${now.toISOString().slice(0, 10)}_${p.name}.${ext}`
}

export async function deleteProfile(
  { deps }: ProfilesDeps,
  ctx: RequestCtx,
  uuid: string,
): Promise<void> {
  const profile = await mustFind(deps.db, ctx, uuid, 'write')
  const teamName = await mustFindTeam(deps.db, profile.teamId)
  await deps.db.transaction().execute(async (trx) => {
    await store.deleteProfile(trx, uuid)
    await recordActivity(trx, deps.clock, ctx, profileActivity('deleted', profile, teamName))
  })
  ctx.log.debug({ profile_uuid: uuid }, 'configuration profile deleted')
}

/**
 * Hosts of a team by the worst status over their profiles and declarations, as Fleet's OS
 * settings summary: failed, then pending (not sent yet counts as pending), then verifying, then
 * verified. Rows removing a profile count as pending until they are gone.
 */
export async function summary(
  { deps }: ProfilesDeps,
  ctx: RequestCtx,
  teamId: number | null,
): Promise<ProfilesSummary> {
  authorize(ctx.authz, { type: 'mdm_config_profile', teamId }, 'read')
  await mustFindTeam(deps.db, teamId)
  const rank = { verified: 0, verifying: 1, pending: 2, failed: 3 } as const
  const worst = new Map<string, keyof typeof rank>()
  for (const row of await store.hostStatuses(deps.db, teamId)) {
    const status: keyof typeof rank =
      row.status === 'failed'
        ? 'failed'
        : row.status === null || row.status === 'pending' || row.operation === 'remove'
          ? 'pending'
          : row.status === 'verifying'
            ? 'verifying'
            : 'verified'
    const before = worst.get(row.hostUuid)
    if (before === undefined || rank[status] > rank[before]) {
      worst.set(row.hostUuid, status)
    }
  }
  const counts = { verified: 0, verifying: 0, pending: 0, failed: 0 }
  for (const status of worst.values()) {
    counts[status] += 1
  }
  return counts
}

/**
 * What the reconcile cron installs on a host: its team's profiles and declarations whose label
 * scoping the host passes (`hostLabelIds`: the labels it is a member of). No authorization: the
 * caller is the server itself.
 */
export async function desiredProfilesForHost(
  db: Db,
  teamId: number | null,
  hostLabelIds: ReadonlySet<number>,
): Promise<ProfileRow[]> {
  const profiles = await store.teamProfiles(db, teamId)
  const labels = await store.labelsOf(
    db,
    profiles.map((p) => p.uuid),
  )
  return profiles.filter((p) =>
    appliesTo(
      labels.filter((l) => l.profileUuid === p.uuid),
      hostLabelIds,
    ),
  )
}
