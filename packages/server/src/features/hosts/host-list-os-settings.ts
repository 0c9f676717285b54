import type { OsSettingsStatus } from '@fleet/api'
import { sql, type RawBuilder, type SqlBool } from 'kysely'

/**
 * The OS settings host filters (`os_settings`, `macos_settings`, `profile_uuid` +
 * `profile_status`), read from the hosts' profile rows: `host_mdm_apple_profiles`
 * (`.mobileconfig`, written by mdm-profile-delivery) and `host_mdm_apple_declarations` (DDM).
 * The host's status is its worst, as the OS settings summary counts it.
 */

const TABLES = ['host_mdm_apple_profiles', 'host_mdm_apple_declarations'] as const

/** Row predicates (alias `r`) by the status a row counts as. */
const ROW: Record<OsSettingsStatus, RawBuilder<unknown>> = {
  failed: sql`r.status = 'failed'`,
  // not sent yet, sent, or being removed
  pending: sql`(r.status IS NULL OR r.status = 'pending' OR r.operation_type = 'remove')`,
  verifying: sql`(r.status = 'verifying' AND r.operation_type = 'install')`,
  verified: sql`(r.status = 'verified' AND r.operation_type = 'install')`,
}

/** The host has a row (profile or declaration) counting as `status`. */
function anyRow(status: OsSettingsStatus): RawBuilder<SqlBool> {
  const exists = TABLES.map(
    (table) =>
      sql`EXISTS (SELECT 1 FROM ${sql.table(table)} r WHERE r.host_uuid = hosts.uuid AND ${ROW[status]})`,
  )
  return sql<SqlBool>`(${sql.join(exists, sql` OR `)})`
}

const WORST_FIRST: readonly OsSettingsStatus[] = ['failed', 'pending', 'verifying', 'verified']

/** Hosts whose worst OS settings status is `status` (hosts with no rows match none). */
export function osSettingsCondition(status: OsSettingsStatus): RawBuilder<SqlBool> {
  const worse = WORST_FIRST.slice(0, WORST_FIRST.indexOf(status)).map((s) => sql`NOT ${anyRow(s)}`)
  return sql<SqlBool>`(${sql.join([...worse, anyRow(status)], sql` AND `)})`
}

/** Hosts where one profile (`a…`) or declaration (`d…`) is being installed with this status. */
export function profileStatusCondition(
  profileUuid: string,
  status: OsSettingsStatus,
): RawBuilder<SqlBool> {
  const [table, column] = profileUuid.startsWith('d')
    ? ['host_mdm_apple_declarations', 'declaration_uuid']
    : ['host_mdm_apple_profiles', 'profile_uuid']
  const row =
    status === 'pending'
      ? sql`(r.status IS NULL OR r.status = 'pending')`
      : sql`r.status = ${status}`
  return sql<SqlBool>`EXISTS (SELECT 1 FROM ${sql.table(table)} r WHERE r.host_uuid = hosts.uuid AND ${sql.ref(`r.${column}`)} = ${profileUuid} AND r.operation_type = 'install' AND ${row})`
}
