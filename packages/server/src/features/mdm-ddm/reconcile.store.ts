import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { chunked, upsertSuffix } from '../../platform/db/index.js'
import { LABEL_REFRESH } from '../hosts/index.js'
import type { HostDeclarationState, PlanDeclaration, PlanHost } from './reconcile-plan.js'

/** Counts the statements a reconcile run makes (logged per run; B6 watches it). */
export interface StatementCounter {
  statements: number
}

const APPLE_PLATFORMS = ['darwin', 'ios', 'ipados']

/** Every declaration with its label scoping (two statements). */
export async function loadDeclarations(db: Db, c: StatementCounter): Promise<PlanDeclaration[]> {
  c.statements += 2
  const declarations = await db
    .selectFrom('mdm_apple_declarations')
    .select(['declaration_uuid', 'team_id', 'identifier', 'name', 'token', 'secrets_updated_at'])
    .execute()
  const labels = await db
    .selectFrom('mdm_profile_labels as pl')
    .leftJoin('labels', 'labels.id', 'pl.label_id')
    .select(['pl.profile_uuid', 'pl.label_id', 'pl.exclude', 'pl.require_all', 'labels.created_at'])
    .where('pl.profile_uuid', 'like', 'd%')
    .execute()
  return declarations.map((d) => ({
    uuid: d.declaration_uuid,
    teamKey: Number(d.team_id),
    identifier: d.identifier,
    name: d.name,
    token: d.token,
    secretsUpdatedAt: d.secrets_updated_at === null ? null : Number(d.secrets_updated_at),
    labels: labels
      .filter((l) => l.profile_uuid === d.declaration_uuid)
      .map((l) => ({
        labelId: l.label_id,
        exclude: Number(l.exclude) === 1,
        requireAll: Number(l.require_all) === 1,
        labelCreatedAt: Number(l.created_at ?? 0),
      })),
  }))
}

/**
 * Apple hosts enrolled now on their device channel and not in Setup Assistant (macOS answers
 * NotNow to DDM there), with their memberships of `labelIds` and label report time (three
 * statements).
 */
export async function loadHosts(
  db: Db,
  labelIds: readonly number[],
  c: StatementCounter,
): Promise<PlanHost[]> {
  c.statements += 1
  const rows = await db
    .selectFrom('mdm_enrollments as e')
    .innerJoin('mdm_apple_devices as dev', 'dev.id', 'e.device_id')
    .innerJoin('hosts', 'hosts.id', 'dev.host_id')
    .select(['hosts.id', 'hosts.uuid', 'hosts.team_id', 'e.id as enrollment_id'])
    .where('e.enabled', '=', 1)
    .where('e.user_id', 'is', null)
    .where('dev.awaiting_configuration', '=', 0)
    .where('dev.enrolled_at', 'is not', null)
    .where('hosts.platform', 'in', APPLE_PLATFORMS)
    .execute()
  const members = new Map<number, Set<number>>()
  const reported = new Map<number, number>()
  if (labelIds.length > 0 && rows.length > 0) {
    c.statements += 2
    const memberships = await db
      .selectFrom('label_membership')
      .select(['host_id', 'label_id'])
      .where('label_id', 'in', labelIds)
      .execute()
    for (const m of memberships) {
      members.set(m.host_id, (members.get(m.host_id) ?? new Set()).add(m.label_id))
    }
    const times = await db
      .selectFrom('host_refresh_times')
      .select(['host_id', 'asked_since'])
      .where('provider', '=', LABEL_REFRESH)
      .execute()
    for (const t of times) {
      reported.set(t.host_id, Number(t.asked_since))
    }
  }
  return rows.map((r) => ({
    uuid: r.uuid,
    teamKey: r.team_id ?? 0,
    enrollmentId: r.enrollment_id,
    labelIds: members.get(r.id) ?? new Set(),
    labelsReportedAt: reported.get(r.id) ?? null,
  }))
}

/** Every host declaration row, by host then declaration (one statement). */
export async function loadRows(
  db: Db,
  c: StatementCounter,
): Promise<Map<string, Map<string, HostDeclarationState>>> {
  c.statements += 1
  const rows = await db.selectFrom('host_mdm_apple_declarations').selectAll().execute()
  const byHost = new Map<string, Map<string, HostDeclarationState>>()
  for (const r of rows) {
    const host = byHost.get(r.host_uuid) ?? new Map<string, HostDeclarationState>()
    host.set(r.declaration_uuid, {
      hostUuid: r.host_uuid,
      declarationUuid: r.declaration_uuid,
      identifier: r.declaration_identifier,
      name: r.declaration_name,
      status: r.status,
      operation: r.operation_type === 'remove' ? 'remove' : 'install',
      detail: r.detail,
      token: r.token,
      secretsUpdatedAt: r.secrets_updated_at === null ? null : Number(r.secrets_updated_at),
      resync: Number(r.resync) === 1,
    })
    byHost.set(r.host_uuid, host)
  }
  return byHost
}

/** Rows per upsert: 11 columns each, well under every dialect's parameter limit. */
const UPSERT_CHUNK = 500

/** Inserts or replaces host declaration rows, a chunk per statement. */
export async function upsertRows(
  db: Db,
  rows: readonly HostDeclarationState[],
  now: number,
  c: StatementCounter,
): Promise<void> {
  for (const chunk of chunked(rows, UPSERT_CHUNK)) {
    c.statements += 1
    const values = chunk.map(
      (r) =>
        sql`(${r.hostUuid}, ${r.declarationUuid}, ${r.identifier}, ${r.name}, ${r.status}, ${r.operation}, ${r.detail}, ${r.token}, ${r.secretsUpdatedAt}, ${r.resync ? 1 : 0}, ${now})`,
    )
    await sql`INSERT INTO host_mdm_apple_declarations (host_uuid, declaration_uuid,
      declaration_identifier, declaration_name, status, operation_type, detail, token,
      secrets_updated_at, resync, updated_at)
      VALUES ${sql.join(values)}
      ${upsertSuffix(
        db,
        ['host_uuid', 'declaration_uuid'],
        [
          'declaration_identifier',
          'declaration_name',
          'status',
          'operation_type',
          'detail',
          'token',
          'secrets_updated_at',
          'resync',
          'updated_at',
        ],
      )}`.execute(db)
  }
}

/** Deletes the given rows (resync race), one statement per host. */
export async function deleteRows(
  db: Db,
  rows: readonly { hostUuid: string; declarationUuid: string }[],
  c: StatementCounter,
): Promise<void> {
  const byHost = new Map<string, string[]>()
  for (const r of rows) {
    byHost.set(r.hostUuid, [...(byHost.get(r.hostUuid) ?? []), r.declarationUuid])
  }
  for (const [hostUuid, uuids] of byHost) {
    c.statements += 1
    await db
      .deleteFrom('host_mdm_apple_declarations')
      .where('host_uuid', '=', hostUuid)
      .where('declaration_uuid', 'in', uuids)
      .execute()
  }
}

/** Hosts with rows flagged `resync` (one statement). */
export async function hostsToResync(db: Db, c: StatementCounter): Promise<string[]> {
  c.statements += 1
  const rows = await db
    .selectFrom('host_mdm_apple_declarations')
    .select('host_uuid')
    .distinct()
    .where('resync', '=', 1)
    .execute()
  return rows.map((r) => r.host_uuid)
}

/** Clears `resync` on the hosts just asked to sync. */
export async function clearResync(
  db: Db,
  hostUuids: readonly string[],
  c: StatementCounter,
): Promise<void> {
  for (const chunk of chunked(hostUuids)) {
    c.statements += 1
    await db
      .updateTable('host_mdm_apple_declarations')
      .set({ resync: 0 })
      .where('resync', '=', 1)
      .where('host_uuid', 'in', chunk)
      .execute()
  }
}

/** Records that these hosts were asked to sync now (`attempts` given per host). */
export async function recordSyncRequests(
  db: Db,
  requests: readonly { hostUuid: string; enrollmentId: string; attempts: number }[],
  now: number,
  c: StatementCounter,
): Promise<void> {
  for (const chunk of chunked(requests, UPSERT_CHUNK)) {
    c.statements += 1
    const values = chunk.map((r) => sql`(${r.hostUuid}, ${r.enrollmentId}, ${now}, ${r.attempts})`)
    await sql`INSERT INTO mdm_apple_ddm_host_syncs (host_uuid, enrollment_id, requested_at, attempts)
      VALUES ${sql.join(values)}
      ${upsertSuffix(db, ['host_uuid'], ['enrollment_id', 'requested_at', 'attempts'])}`.execute(db)
  }
}
