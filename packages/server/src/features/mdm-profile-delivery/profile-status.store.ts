import type { Db } from '../../db/database.js'
import type { ProfileKind } from '../mdm-profiles/index.js'

/** What the REST API reads and writes of hosts' profile rows. */

/** The host the API names, with what authorization and activities need. */
export interface HostRef {
  id: number
  uuid: string
  teamId: number | null
  displayName: string
}

export async function findHostRef(db: Db, id: number): Promise<HostRef | undefined> {
  const row = await db
    .selectFrom('hosts')
    .select(['id', 'uuid', 'team_id', 'computer_name', 'hostname'])
    .where('id', '=', id)
    .executeTakeFirst()
  return (
    row && {
      id: row.id,
      uuid: row.uuid,
      teamId: row.team_id,
      displayName: row.computer_name || row.hostname,
    }
  )
}

/**
 * Install rows of one profile by status (NULL: not sent yet). A declaration's rows are DDM's
 * (`host_mdm_apple_declarations`, written by mdm-ddm): read here, never written.
 */
export async function statusCounts(
  db: Db,
  kind: ProfileKind,
  uuid: string,
): Promise<{ status: string | null; n: number }[]> {
  const rows =
    kind === 'mobileconfig'
      ? await db
          .selectFrom('host_mdm_apple_profiles')
          .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
          .where('profile_uuid', '=', uuid)
          .where('operation_type', '=', 'install')
          .groupBy('status')
          .execute()
      : await db
          .selectFrom('host_mdm_apple_declarations')
          .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
          .where('declaration_uuid', '=', uuid)
          .where('operation_type', '=', 'install')
          .groupBy('status')
          .execute()
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }))
}

/** One host's row for a profile, as the API shows it. */
export interface HostProfileRow {
  profileUuid: string
  identifier: string
  name: string
  status: string | null
  operation: string
  detail: string | null
  checksum: string
  updatedAt: number
  /** The profile, when it still exists. */
  profile: { teamId: number; createdAt: number; uploadedAt: number } | undefined
}

export async function hostProfileRows(db: Db, hostUuid: string): Promise<HostProfileRow[]> {
  const rows = await db
    .selectFrom('host_mdm_apple_profiles as hp')
    .leftJoin('mdm_apple_configuration_profiles as p', 'p.profile_uuid', 'hp.profile_uuid')
    .select([
      'hp.profile_uuid',
      'hp.profile_identifier',
      'hp.profile_name',
      'hp.status',
      'hp.operation_type',
      'hp.detail',
      'hp.checksum',
      'hp.updated_at',
      'p.team_id',
      'p.created_at',
      'p.uploaded_at',
    ])
    .where('hp.host_uuid', '=', hostUuid)
    .orderBy('hp.profile_name')
    .orderBy('hp.profile_uuid')
    .execute()
  return rows.map((r) => ({
    profileUuid: r.profile_uuid,
    identifier: r.profile_identifier,
    name: r.profile_name,
    status: r.status,
    operation: r.operation_type,
    detail: r.detail,
    checksum: r.checksum,
    updatedAt: Number(r.updated_at),
    profile:
      r.team_id === null || r.created_at === null || r.uploaded_at === null
        ? undefined
        : {
            teamId: Number(r.team_id),
            createdAt: Number(r.created_at),
            uploadedAt: Number(r.uploaded_at),
          },
  }))
}

/** Marks one install row to be sent again by the next reconcile run. */
export async function markForResend(
  db: Db,
  hostUuid: string,
  profileUuid: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('host_mdm_apple_profiles')
    .set({ status: null, detail: null, retries: 0, updated_at: now })
    .where('host_uuid', '=', hostUuid)
    .where('profile_uuid', '=', profileUuid)
    .where('operation_type', '=', 'install')
    .execute()
}

/** Marks every failed install row of a profile to be sent again; returns how many. */
export async function markFailedForResend(
  db: Db,
  profileUuid: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('host_mdm_apple_profiles')
    .set({ status: null, detail: null, retries: 0, updated_at: now })
    .where('profile_uuid', '=', profileUuid)
    .where('operation_type', '=', 'install')
    .where('status', '=', 'failed')
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
