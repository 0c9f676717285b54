import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { chunked, upsertSuffix } from '../../platform/db/index.js'
import { LABEL_REFRESH } from '../hosts/index.js'
import type { DeliverableProfile, HostProfileState, ScopeLabel } from './delivery.js'

/**
 * SQL of `.mobileconfig` delivery. It writes `host_mdm_apple_profiles` (created by mdm-profiles
 * for delivery to fill) and `host_mdm_apple_profile_checks`; it reads, never writes, the tables
 * of profiles, labels, hosts and MDM enrollments in a few wide statements per run.
 */

/** An MDM-enrolled Apple host: its device channel is enabled (TokenUpdate, no CheckOut since). */
export interface EnrolledHost {
  id: number
  uuid: string
  teamKey: number
  enrollmentId: string
  labelUpdatedAt: number
}

/** The next `limit` enrolled hosts after host id `afterId`, by id. */
export async function enrolledHosts(
  db: Db,
  afterId: number,
  limit: number,
): Promise<EnrolledHost[]> {
  const rows = await db
    .selectFrom('mdm_apple_devices as d')
    .innerJoin('mdm_enrollments as e', 'e.id', 'd.id')
    .innerJoin('hosts as h', 'h.id', 'd.host_id')
    .leftJoin('host_refresh_times as rt', (join) =>
      join.onRef('rt.host_id', '=', 'h.id').on('rt.provider', '=', LABEL_REFRESH),
    )
    .select(['h.id', 'h.uuid', 'h.team_id', 'e.id as enrollment_id', 'rt.asked_since'])
    .where('e.enabled', '=', 1)
    .where('d.enrolled_at', 'is not', null)
    .where('h.id', '>', afterId)
    .orderBy('h.id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    uuid: r.uuid,
    teamKey: r.team_id ?? 0,
    enrollmentId: r.enrollment_id,
    labelUpdatedAt: Number(r.asked_since ?? 0),
  }))
}

/** Every `.mobileconfig` profile, with its label scoping. */
export async function deliverableProfiles(
  db: Db,
): Promise<{ profiles: DeliverableProfile[]; labels: Map<string, ScopeLabel[]> }> {
  const rows = await db
    .selectFrom('mdm_apple_configuration_profiles')
    .select(['profile_uuid', 'team_id', 'identifier', 'name', 'checksum', 'mobileconfig'])
    .orderBy('profile_uuid')
    .execute()
  const labelRows = await db
    .selectFrom('mdm_profile_labels as pl')
    .leftJoin('labels as l', 'l.id', 'pl.label_id')
    .select([
      'pl.profile_uuid',
      'pl.label_id',
      'pl.exclude',
      'pl.require_all',
      'l.created_at',
      'l.label_membership_type',
    ])
    .where('pl.profile_uuid', 'like', 'a%')
    .execute()
  const labels = new Map<string, ScopeLabel[]>()
  for (const r of labelRows) {
    const list = labels.get(r.profile_uuid) ?? []
    list.push({
      // A label id whose label is gone counts as deleted, as a NULL id does.
      labelId: r.created_at === null ? null : r.label_id,
      exclude: Number(r.exclude) === 1,
      requireAll: Number(r.require_all) === 1,
      labelCreatedAt: r.created_at === null ? undefined : Number(r.created_at),
      manual: r.label_membership_type === 'manual',
    })
    labels.set(r.profile_uuid, list)
  }
  return {
    profiles: rows.map((r) => ({
      uuid: r.profile_uuid,
      teamKey: Number(r.team_id),
      identifier: r.identifier,
      name: r.name,
      checksum: r.checksum,
      contents: r.mobileconfig,
    })),
    labels,
  }
}

/** Which of `labelIds` each of `hostIds` belongs to. */
export async function memberships(
  db: Db,
  hostIds: readonly number[],
  labelIds: readonly number[],
): Promise<Map<number, Set<number>>> {
  const out = new Map<number, Set<number>>()
  if (hostIds.length === 0 || labelIds.length === 0) {
    return out
  }
  const rows = await db
    .selectFrom('label_membership')
    .select(['host_id', 'label_id'])
    .where('host_id', 'in', hostIds)
    .where('label_id', 'in', labelIds)
    .execute()
  for (const r of rows) {
    const set = out.get(r.host_id) ?? new Set<number>()
    set.add(r.label_id)
    out.set(r.host_id, set)
  }
  return out
}

/** The profile rows of these hosts, by host uuid. */
export async function hostProfileStates(
  db: Db,
  hostUuids: readonly string[],
): Promise<Map<string, HostProfileState[]>> {
  const out = new Map<string, HostProfileState[]>()
  if (hostUuids.length === 0) {
    return out
  }
  const rows = await db
    .selectFrom('host_mdm_apple_profiles')
    .select([
      'host_uuid',
      'profile_uuid',
      'profile_identifier',
      'profile_name',
      'status',
      'operation_type',
      'checksum',
    ])
    .where('host_uuid', 'in', hostUuids)
    .execute()
  for (const r of rows) {
    const list = out.get(r.host_uuid) ?? []
    list.push({
      profileUuid: r.profile_uuid,
      identifier: r.profile_identifier,
      name: r.profile_name,
      status: r.status,
      operation: r.operation_type === 'remove' ? 'remove' : 'install',
      checksum: r.checksum,
    })
    out.set(r.host_uuid, list)
  }
  return out
}

/** A row to write as pending for a command just queued. */
export interface PendingRow {
  hostUuid: string
  profileUuid: string
  identifier: string
  name: string
  checksum: string
  operation: 'install' | 'remove'
  commandUuid: string
}

/** Writes rows `pending` with their command (insert or replace), a chunk per statement. */
export async function writePending(
  db: Db,
  rows: readonly PendingRow[],
  now: number,
): Promise<void> {
  for (const chunk of chunked(rows, 500)) {
    const values = chunk.map(
      (r) =>
        sql`(${r.hostUuid}, ${r.profileUuid}, ${r.identifier}, ${r.name}, ${'pending'}, ${r.operation}, ${null}, ${r.commandUuid}, ${r.checksum}, ${now})`,
    )
    await sql`INSERT INTO host_mdm_apple_profiles
      (host_uuid, profile_uuid, profile_identifier, profile_name, status, operation_type, detail, command_uuid, checksum, updated_at)
      VALUES ${sql.join(values)}
      ${upsertSuffix(
        db,
        ['host_uuid', 'profile_uuid'],
        [
          'profile_identifier',
          'profile_name',
          'status',
          'operation_type',
          'detail',
          'command_uuid',
          'checksum',
          'updated_at',
        ],
      )}`.execute(db)
  }
}

/** Deletes rows (never-sent or failed installs no longer wanted). */
export async function deleteRows(
  db: Db,
  rows: readonly { hostUuid: string; profileUuid: string }[],
): Promise<void> {
  const byProfile = new Map<string, string[]>()
  for (const r of rows) {
    byProfile.set(r.profileUuid, [...(byProfile.get(r.profileUuid) ?? []), r.hostUuid])
  }
  for (const [profileUuid, hosts] of byProfile) {
    for (const chunk of chunked(hosts)) {
      await db
        .deleteFrom('host_mdm_apple_profiles')
        .where('profile_uuid', '=', profileUuid)
        .where('host_uuid', 'in', chunk)
        .execute()
    }
  }
}
