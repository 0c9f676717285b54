import type { Selectable } from 'kysely'
import type { Db } from '../../db/database.js'
import { insertReturningId } from '../../platform/db/index.js'
import type { AbmPlatform, AbmToken } from './abm-token.js'
import type { MdmAbmTokensTable } from './mdm-abm.table.js'

function toToken(row: Selectable<MdmAbmTokensTable>): AbmToken {
  return {
    id: row.id,
    orgName: row.org_name,
    appleId: row.apple_id,
    sealedCredentials: row.credentials,
    renewAt: Number(row.renew_at),
    termsExpired: Number(row.terms_expired) === 1,
    teams: { macos: row.macos_team_id, ios: row.ios_team_id, ipados: row.ipados_team_id },
    syncCursor: row.sync_cursor,
    lastSyncedAt: row.last_synced_at === null ? null : Number(row.last_synced_at),
    lastError: row.last_error,
  }
}

/** The sealed ABM key pair values by name (`cert`, `key`). */
export async function readKeys(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('mdm_abm_keys').select(['name', 'value']).execute()
  return new Map(rows.map((row) => [row.name, row.value]))
}

export async function insertKeys(
  db: Db,
  keys: ReadonlyMap<string, string>,
  now: number,
): Promise<void> {
  await db
    .insertInto('mdm_abm_keys')
    .values([...keys].map(([name, value]) => ({ name, value, created_at: now })))
    .execute()
}

export async function listTokens(db: Db): Promise<AbmToken[]> {
  const rows = await db.selectFrom('mdm_abm_tokens').selectAll().orderBy('id').execute()
  return rows.map(toToken)
}

export async function findToken(db: Db, id: number): Promise<AbmToken | undefined> {
  const row = await db
    .selectFrom('mdm_abm_tokens')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toToken(row)
}

export async function findTokenByOrg(db: Db, orgName: string): Promise<AbmToken | undefined> {
  const row = await db
    .selectFrom('mdm_abm_tokens')
    .selectAll()
    .where('org_name', '=', orgName)
    .executeTakeFirst()
  return row && toToken(row)
}

export interface NewToken {
  orgName: string
  appleId: string
  sealedCredentials: string
  renewAt: number
}

export async function insertToken(db: Db, token: NewToken, now: number): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('mdm_abm_tokens').values({
      org_name: token.orgName,
      apple_id: token.appleId,
      credentials: token.sealedCredentials,
      renew_at: token.renewAt,
      macos_team_id: null,
      ios_team_id: null,
      ipados_team_id: null,
      sync_cursor: null,
      last_synced_at: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    }),
  )
}

/** Replaces a token's credentials (renewal); terms and error are cleared. */
export async function replaceCredentials(
  db: Db,
  id: number,
  token: NewToken,
  now: number,
): Promise<void> {
  await db
    .updateTable('mdm_abm_tokens')
    .set({
      apple_id: token.appleId,
      credentials: token.sealedCredentials,
      renew_at: token.renewAt,
      terms_expired: 0,
      last_error: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute()
}

export async function setTokenTeams(
  db: Db,
  id: number,
  teams: Record<AbmPlatform, number | null>,
  now: number,
): Promise<void> {
  await db
    .updateTable('mdm_abm_tokens')
    .set({
      macos_team_id: teams.macos,
      ios_team_id: teams.ios,
      ipados_team_id: teams.ipados,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute()
}

/** What a sync run learned about a token: its cursor, terms, last error. */
export async function recordSync(
  db: Db,
  id: number,
  result: {
    cursor?: string | null
    termsExpired: boolean
    error: string | null
    orgName?: string
    appleId?: string
  },
  now: number,
): Promise<void> {
  await db
    .updateTable('mdm_abm_tokens')
    .set({
      ...(result.cursor !== undefined ? { sync_cursor: result.cursor } : {}),
      ...(result.appleId !== undefined ? { apple_id: result.appleId } : {}),
      terms_expired: result.termsExpired ? 1 : 0,
      last_error: result.error,
      last_synced_at: now,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute()
}

/** Deletes a token with its DEP profiles and its devices' rows (their hosts stay). */
export async function deleteToken(db: Db, id: number): Promise<boolean> {
  await db.deleteFrom('mdm_abm_devices').where('abm_token_id', '=', id).execute()
  await db.deleteFrom('mdm_abm_profiles').where('abm_token_id', '=', id).execute()
  const deleted = await db.deleteFrom('mdm_abm_tokens').where('id', '=', id).executeTakeFirst()
  return Number(deleted.numDeletedRows) > 0
}

/** A token's DEP profile for a team (0 = "No team"). */
export interface DepProfileRow {
  enrollToken: string
  profileUuid: string
}

export async function findProfile(
  db: Db,
  tokenId: number,
  teamKey: number,
): Promise<DepProfileRow | undefined> {
  const row = await db
    .selectFrom('mdm_abm_profiles')
    .select(['enroll_token', 'profile_uuid'])
    .where('abm_token_id', '=', tokenId)
    .where('team_id', '=', teamKey)
    .executeTakeFirst()
  return row && { enrollToken: row.enroll_token, profileUuid: row.profile_uuid }
}

/** Records a profile ABM defined (first time: inserts it with its enrollment token). */
export async function saveProfile(
  db: Db,
  tokenId: number,
  teamKey: number,
  profile: DepProfileRow,
  now: number,
): Promise<void> {
  const updated = await db
    .updateTable('mdm_abm_profiles')
    .set({ profile_uuid: profile.profileUuid, defined_at: now })
    .where('abm_token_id', '=', tokenId)
    .where('team_id', '=', teamKey)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) {
    await db
      .insertInto('mdm_abm_profiles')
      .values({
        abm_token_id: tokenId,
        team_id: teamKey,
        enroll_token: profile.enrollToken,
        profile_uuid: profile.profileUuid,
        defined_at: now,
      })
      .execute()
  }
}

/** The team (null = No team) of the DEP profile whose enrollment URL carries `enrollToken`. */
export async function teamOfEnrollToken(
  db: Db,
  enrollToken: string,
): Promise<{ teamId: number | null } | undefined> {
  const row = await db
    .selectFrom('mdm_abm_profiles')
    .select('team_id')
    .where('enroll_token', '=', enrollToken)
    .executeTakeFirst()
  return row && { teamId: row.team_id === 0 ? null : row.team_id }
}

/** Clears a profile ABM no longer knows (its enrollment token stays, so URLs keep working). */
export async function forgetProfileUuid(db: Db, tokenId: number, teamKey: number): Promise<void> {
  await db
    .updateTable('mdm_abm_profiles')
    .set({ profile_uuid: '', defined_at: null })
    .where('abm_token_id', '=', tokenId)
    .where('team_id', '=', teamKey)
    .execute()
}
