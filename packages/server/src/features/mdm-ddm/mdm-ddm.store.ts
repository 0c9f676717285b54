import type { Db } from '../../db/database.js'
import { chunked } from '../../platform/db/index.js'
import type { TokenItem } from './ddm-tokens.js'

/** A declaration a host should have, as its DDM endpoints serve it. */
export interface HostDeclaration extends TokenItem {
  identifier: string
}

/**
 * The host a device is (check-in links them through `mdm_apple_devices.host_id`); a device not
 * linked yet is known by its UDID, which is what Fleet uses as host uuid.
 */
export async function hostUuidOfDevice(db: Db, deviceId: string): Promise<string> {
  const row = await db
    .selectFrom('mdm_apple_devices')
    .innerJoin('hosts', 'hosts.id', 'mdm_apple_devices.host_id')
    .select('hosts.uuid')
    .where('mdm_apple_devices.id', '=', deviceId)
    .executeTakeFirst()
  return row?.uuid || deviceId
}

/**
 * The host's install rows joined to their declarations (a declaration deleted since drops out):
 * what `tokens` and `declaration-items` list. The token is the row's, the one status reports
 * are matched against.
 */
export async function installedDeclarations(db: Db, hostUuid: string): Promise<HostDeclaration[]> {
  const rows = await db
    .selectFrom('host_mdm_apple_declarations as h')
    .innerJoin('mdm_apple_declarations as d', 'd.declaration_uuid', 'h.declaration_uuid')
    .select(['h.declaration_uuid', 'd.identifier', 'h.token', 'd.uploaded_at', 'd.created_at'])
    .where('h.host_uuid', '=', hostUuid)
    .where('h.operation_type', '=', 'install')
    .execute()
  return rows.map((r) => ({
    declarationUuid: r.declaration_uuid,
    identifier: r.identifier,
    token: r.token,
    uploadedAt: Number(r.uploaded_at),
    createdAt: Number(r.created_at),
  }))
}

/** A declaration the host should have, by Identifier: its stored JSON and current token. */
export async function installedDeclaration(
  db: Db,
  hostUuid: string,
  identifier: string,
): Promise<{ rawJson: string; token: string } | undefined> {
  const row = await db
    .selectFrom('host_mdm_apple_declarations as h')
    .innerJoin('mdm_apple_declarations as d', 'd.declaration_uuid', 'h.declaration_uuid')
    .select(['d.raw_json', 'd.token'])
    .where('h.host_uuid', '=', hostUuid)
    .where('h.operation_type', '=', 'install')
    .where('d.identifier', '=', identifier)
    .executeTakeFirst()
  return row && { rawJson: row.raw_json, token: row.token }
}

/**
 * `declaration-items` was fetched: the host's remove rows not seen yet (NULL) are now pending —
 * the device has the list without them, so its next status report reflects their removal.
 */
export async function markRemovalsSeen(db: Db, hostUuid: string, now: number): Promise<void> {
  await db
    .updateTable('host_mdm_apple_declarations')
    .set({ status: 'pending', updated_at: now })
    .where('host_uuid', '=', hostUuid)
    .where('operation_type', '=', 'remove')
    .where('status', 'is', null)
    .execute()
}

/** Logs one DDM request (Fleet's `mdm_apple_declarative_requests`). */
export async function logRequest(
  db: Db,
  request: { enrollmentId: string; endpoint: string; rawJson: string | null },
  now: number,
): Promise<void> {
  await db
    .insertInto('mdm_apple_declarative_requests')
    .values({
      enrollment_id: request.enrollmentId,
      message_type: request.endpoint,
      raw_json: request.rawJson,
      created_at: now,
    })
    .execute()
}

/** A host's declaration row as status processing reads it. */
export interface HostDeclarationRow {
  declarationUuid: string
  token: string
  status: string | null
  operation: 'install' | 'remove'
}

export async function hostDeclarationRows(db: Db, hostUuid: string): Promise<HostDeclarationRow[]> {
  const rows = await db
    .selectFrom('host_mdm_apple_declarations')
    .select(['declaration_uuid', 'token', 'status', 'operation_type'])
    .where('host_uuid', '=', hostUuid)
    .execute()
  return rows.map((r) => ({
    declarationUuid: r.declaration_uuid,
    token: r.token,
    status: r.status,
    operation: r.operation_type === 'remove' ? 'remove' : 'install',
  }))
}

/** One status to write: the rows of `declarationUuids` get `status` and `detail`. */
export interface StatusChange {
  status: string
  detail: string | null
  declarationUuids: string[]
}

/** Writes status changes of one host's install rows, one statement per (status, detail). */
export async function setInstallStatuses(
  db: Db,
  hostUuid: string,
  changes: readonly StatusChange[],
  now: number,
): Promise<void> {
  for (const change of changes) {
    for (const uuids of chunked(change.declarationUuids)) {
      await db
        .updateTable('host_mdm_apple_declarations')
        .set({ status: change.status, detail: change.detail, updated_at: now })
        .where('host_uuid', '=', hostUuid)
        .where('operation_type', '=', 'install')
        .where('declaration_uuid', 'in', uuids)
        .execute()
    }
  }
}

/** Every install row of the host in `from` moves to `to` (a DeclarativeManagement result). */
export async function moveInstallStatuses(
  db: Db,
  hostUuid: string,
  from: string,
  to: { status: string; detail: string | null },
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('host_mdm_apple_declarations')
    .set({ ...to, updated_at: now })
    .where('host_uuid', '=', hostUuid)
    .where('operation_type', '=', 'install')
    .where('status', '=', from)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Deletes remove rows the device has seen the item list without (pending), bar `keep`. */
export async function deleteSeenRemovals(
  db: Db,
  hostUuid: string,
  keep: readonly string[],
): Promise<number> {
  let query = db
    .deleteFrom('host_mdm_apple_declarations')
    .where('host_uuid', '=', hostUuid)
    .where('operation_type', '=', 'remove')
    .where('status', '=', 'pending')
  if (keep.length > 0) {
    query = query.where('declaration_uuid', 'not in', keep)
  }
  const result = await query.executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** The host answered: its sync attempts start over. */
export async function resetSyncAttempts(db: Db, hostUuid: string): Promise<void> {
  await db
    .updateTable('mdm_apple_ddm_host_syncs')
    .set({ attempts: 0 })
    .where('host_uuid', '=', hostUuid)
    .where('attempts', '>', 0)
    .execute()
}
