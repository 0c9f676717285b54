import type { Db } from '../../db/database.js'
import { declarationServerToken } from './declaration-token.js'
import { secretNames } from './profile-file.js'
import type {
  MdmAppleConfigurationProfilesTable,
  MdmAppleDeclarationsTable,
} from './mdm-profiles.table.js'
import type { ProfileLabelRow, ProfileRow, ProfileKind } from './profile.js'

/** The store's team key: 0 is "No team" (as in Fleet's tables). */
export const teamKey = (teamId: number | null): number => teamId ?? 0

function fromProfile(row: MdmAppleConfigurationProfilesTable): ProfileRow {
  return {
    uuid: row.profile_uuid,
    kind: 'mobileconfig',
    teamId: row.team_id === 0 ? null : row.team_id,
    identifier: row.identifier,
    name: row.name,
    contents: row.mobileconfig,
    checksum: row.checksum,
    createdAt: Number(row.created_at),
    uploadedAt: Number(row.uploaded_at),
    secretsUpdatedAt: row.secrets_updated_at === null ? null : Number(row.secrets_updated_at),
  }
}

function fromDeclaration(row: MdmAppleDeclarationsTable): ProfileRow {
  return {
    uuid: row.declaration_uuid,
    kind: 'declaration',
    teamId: row.team_id === 0 ? null : row.team_id,
    identifier: row.identifier,
    name: row.name,
    contents: row.raw_json,
    checksum: row.token,
    createdAt: Number(row.created_at),
    uploadedAt: Number(row.uploaded_at),
    secretsUpdatedAt: row.secrets_updated_at === null ? null : Number(row.secrets_updated_at),
  }
}

export async function findProfile(db: Db, uuid: string): Promise<ProfileRow | undefined> {
  if (uuid.startsWith('a')) {
    const row = await db
      .selectFrom('mdm_apple_configuration_profiles')
      .selectAll()
      .where('profile_uuid', '=', uuid)
      .executeTakeFirst()
    return row && fromProfile(row)
  }
  if (uuid.startsWith('d')) {
    const row = await db
      .selectFrom('mdm_apple_declarations')
      .selectAll()
      .where('declaration_uuid', '=', uuid)
      .executeTakeFirst()
    return row && fromDeclaration(row)
  }
  return undefined
}

/** A team's profiles and declarations, by name. */
export async function teamProfiles(db: Db, teamId: number | null): Promise<ProfileRow[]> {
  const team = teamKey(teamId)
  const profiles = await db
    .selectFrom('mdm_apple_configuration_profiles')
    .selectAll()
    .where('team_id', '=', team)
    .execute()
  const declarations = await db
    .selectFrom('mdm_apple_declarations')
    .selectAll()
    .where('team_id', '=', team)
    .execute()
  return [...profiles.map(fromProfile), ...declarations.map(fromDeclaration)].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.uuid < b.uuid ? -1 : 1,
  )
}

/** The team's profiles and declarations whose `column` equals `value`, with their kind. */
export async function uuidsWhere(
  db: Db,
  teamId: number | null,
  column: 'name' | 'identifier',
  value: string,
): Promise<{ kind: ProfileKind; uuid: string }[]> {
  const team = teamKey(teamId)
  const profiles = await db
    .selectFrom('mdm_apple_configuration_profiles')
    .select('profile_uuid as uuid')
    .where('team_id', '=', team)
    .where(column, '=', value)
    .execute()
  const declarations = await db
    .selectFrom('mdm_apple_declarations')
    .select('declaration_uuid as uuid')
    .where((eb) => eb.and([eb('team_id', '=', team), eb(column, '=', value)]))
    .execute()
  return [
    ...profiles.map((row) => ({ kind: 'mobileconfig' as const, uuid: row.uuid })),
    ...declarations.map((row) => ({ kind: 'declaration' as const, uuid: row.uuid })),
  ]
}

/** Inserts a profile or declaration, or replaces the contents of the one with this uuid. */
export async function saveProfile(db: Db, p: ProfileRow, replace: boolean): Promise<void> {
  const common = {
    identifier: p.identifier,
    name: p.name,
    uploaded_at: p.uploadedAt,
    secrets_updated_at: p.secretsUpdatedAt,
  }
  const created = { team_id: teamKey(p.teamId), created_at: p.createdAt }
  if (p.kind === 'mobileconfig') {
    const values = { ...common, mobileconfig: p.contents, checksum: p.checksum }
    const table = 'mdm_apple_configuration_profiles'
    await (
      replace
        ? db.updateTable(table).set(values).where('profile_uuid', '=', p.uuid)
        : db.insertInto(table).values({ ...values, ...created, profile_uuid: p.uuid })
    ).execute()
    return
  }
  const values = { ...common, raw_json: p.contents, token: p.checksum }
  await (
    replace
      ? db.updateTable('mdm_apple_declarations').set(values).where('declaration_uuid', '=', p.uuid)
      : db
          .insertInto('mdm_apple_declarations')
          .values({ ...values, ...created, declaration_uuid: p.uuid })
  ).execute()
}

/** Deletes a profile or declaration, its label rows and its host rows not sent yet. */
export async function deleteProfile(db: Db, uuid: string): Promise<void> {
  await db.deleteFrom('mdm_profile_labels').where('profile_uuid', '=', uuid).execute()
  if (uuid.startsWith('a')) {
    await db
      .deleteFrom('mdm_apple_configuration_profiles')
      .where('profile_uuid', '=', uuid)
      .execute()
    await db
      .deleteFrom('host_mdm_apple_profiles')
      .where('profile_uuid', '=', uuid)
      .where('status', 'is', null)
      .where('operation_type', '=', 'install')
      .execute()
    return
  }
  await db.deleteFrom('mdm_apple_declarations').where('declaration_uuid', '=', uuid).execute()
  await db
    .deleteFrom('host_mdm_apple_declarations')
    .where('declaration_uuid', '=', uuid)
    .where('status', 'is', null)
    .where('operation_type', '=', 'install')
    .execute()
}

/**
 * Deletes a (deleted) team's profiles and declarations as `deleteProfile` does each: label rows,
 * host rows never sent; rows already on devices stay for delivery to remove.
 */
export async function deleteTeamProfiles(db: Db, teamId: number): Promise<number> {
  const profiles = await teamProfiles(db, teamId)
  for (const profile of profiles) {
    await deleteProfile(db, profile.uuid)
  }
  return profiles.length
}

export async function labelsOf(db: Db, uuids: readonly string[]): Promise<ProfileLabelRow[]> {
  if (uuids.length === 0) {
    return []
  }
  const rows = await db
    .selectFrom('mdm_profile_labels')
    .select(['profile_uuid', 'label_id', 'label_name', 'exclude', 'require_all'])
    .where('profile_uuid', 'in', uuids)
    .orderBy('label_name')
    .execute()
  return rows.map((row) => ({
    profileUuid: row.profile_uuid,
    labelId: row.label_id,
    labelName: row.label_name,
    exclude: Number(row.exclude) === 1,
    requireAll: Number(row.require_all) === 1,
  }))
}

export async function replaceLabels(
  db: Db,
  uuid: string,
  labels: readonly Omit<ProfileLabelRow, 'profileUuid'>[],
): Promise<void> {
  await db.deleteFrom('mdm_profile_labels').where('profile_uuid', '=', uuid).execute()
  if (labels.length > 0) {
    await db
      .insertInto('mdm_profile_labels')
      .values(
        labels.map((l) => ({
          profile_uuid: uuid,
          label_id: l.labelId,
          label_name: l.labelName,
          exclude: l.exclude ? 1 : 0,
          require_all: l.requireAll ? 1 : 0,
        })),
      )
      .execute()
  }
}

/** Each host's statuses over its profiles and declarations, for the hosts of one team. */
export async function hostStatuses(
  db: Db,
  teamId: number | null,
): Promise<{ hostUuid: string; status: string | null; operation: string }[]> {
  const inTeam = (q: Db) =>
    q
      .selectFrom('hosts')
      .select('uuid')
      .where((eb) => (teamId === null ? eb('team_id', 'is', null) : eb('team_id', '=', teamId)))
  const profiles = await db
    .selectFrom('host_mdm_apple_profiles')
    .select(['host_uuid', 'status', 'operation_type'])
    .where('host_uuid', 'in', inTeam(db))
    .execute()
  const declarations = await db
    .selectFrom('host_mdm_apple_declarations')
    .select(['host_uuid', 'status', 'operation_type'])
    .where('host_uuid', 'in', inTeam(db))
    .execute()
  return [...profiles, ...declarations].map((row) => ({
    hostUuid: row.host_uuid,
    status: row.status,
    operation: row.operation_type,
  }))
}

/**
 * Secrets changed value: every declaration referencing one of `names` gets `secrets_updated_at`
 * = now and the ServerToken that goes with it, so hosts are sent it again.
 */
export async function touchDeclarationSecrets(
  db: Db,
  names: readonly string[],
  now: number,
): Promise<number> {
  const changed = new Set(names)
  const rows = await db
    .selectFrom('mdm_apple_declarations')
    .select(['declaration_uuid', 'raw_json'])
    .where('raw_json', 'like', '%FLEET_SECRET_%')
    .execute()
  const touched = rows.filter((r) => secretNames(r.raw_json).some((n) => changed.has(n)))
  for (const r of touched) {
    await db
      .updateTable('mdm_apple_declarations')
      .set({ secrets_updated_at: now, token: declarationServerToken(r.raw_json, now) })
      .where('declaration_uuid', '=', r.declaration_uuid)
      .execute()
  }
  return touched.length
}
