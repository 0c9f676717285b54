import type { ExpressionBuilder, Selectable, Updateable } from 'kysely'
import type { Database, Db } from '../../db/database.js'
import { writeCheckinsBySecond } from './seen-time-buffer.js'
import { insertReturningId } from '../../platform/db/index.js'
import type { Host, HostUser, HostVitals } from './host.js'
import type { HostsTable } from './hosts.table.js'
import { LABEL_REFRESH, POLICY_REFRESH } from './refresh-times.store.js'

/** A hosts row with the two refresh times Fleet's host JSON shows (see {@link refreshColumns}). */
export type HostRow = Selectable<HostsTable> & {
  label_updated_at: number | null
  policy_updated_at: number | null
}

/** When the host last answered a refresh schedule's queries (null if it never did). */
function answeredAt(eb: ExpressionBuilder<Database, 'hosts'>, provider: string) {
  return eb
    .selectFrom('host_refresh_times')
    .select('host_refresh_times.asked_since')
    .whereRef('host_refresh_times.host_id', '=', 'hosts.id')
    .where('host_refresh_times.provider', '=', provider)
}

/**
 * `label_updated_at` and `policy_updated_at`, which live with the labels' and policies' refresh
 * times (batched by the check-in pipeline, so they can lag a flush interval, like seen_time).
 */
export function refreshColumns(eb: ExpressionBuilder<Database, 'hosts'>) {
  return [
    answeredAt(eb, LABEL_REFRESH).as('label_updated_at'),
    answeredAt(eb, POLICY_REFRESH).as('policy_updated_at'),
  ]
}

/** Every column of the hosts matching a query, as {@link toHost} reads them. */
function selectHosts(db: Db) {
  return db.selectFrom('hosts').selectAll('hosts').select(refreshColumns)
}

export function toHost(row: HostRow): Host {
  let additional: Record<string, unknown> | null = null
  if (row.additional) {
    const parsed: unknown = JSON.parse(row.additional)
    additional =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? Object.fromEntries(Object.entries(parsed))
        : null
  }
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    teamId: row.team_id,
    osqueryHostId: row.osquery_host_id,
    uuid: row.uuid,
    hostname: row.hostname,
    computerName: row.computer_name,
    platform: row.platform,
    platformLike: row.platform_like,
    osVersion: row.os_version,
    build: row.build,
    codeName: row.code_name,
    osqueryVersion: row.osquery_version,
    kernelVersion: row.kernel_version,
    uptimeSeconds: row.uptime_seconds,
    memory: row.memory,
    cpuType: row.cpu_type,
    cpuSubtype: row.cpu_subtype,
    cpuBrand: row.cpu_brand,
    cpuPhysicalCores: row.cpu_physical_cores,
    cpuLogicalCores: row.cpu_logical_cores,
    hardwareVendor: row.hardware_vendor,
    hardwareModel: row.hardware_model,
    hardwareVersion: row.hardware_version,
    hardwareSerial: row.hardware_serial,
    primaryIp: row.primary_ip,
    primaryMac: row.primary_mac,
    publicIp: row.public_ip,
    distributedInterval: row.distributed_interval,
    configTlsRefresh: row.config_tls_refresh,
    loggerTlsPeriod: row.logger_tls_period,
    gigsDiskSpaceAvailable: row.gigs_disk_space_available,
    percentDiskSpaceAvailable: row.percent_disk_space_available,
    gigsTotalDiskSpace: row.gigs_total_disk_space,
    detailUpdatedAt: row.detail_updated_at,
    labelUpdatedAt: Number(row.label_updated_at ?? 0),
    policyUpdatedAt: Number(row.policy_updated_at ?? 0),
    lastEnrolledAt: row.last_enrolled_at,
    lastRestartedAt: row.last_restarted_at,
    seenTime: row.seen_time,
    refetchRequested: row.refetch_requested === 1,
    additional,
  }
}

/** Vitals (camelCase) as column values. */
function vitalsColumns(vitals: HostVitals): Updateable<HostsTable> {
  const columns: Updateable<HostsTable> = {}
  const map: [keyof HostVitals, keyof HostsTable][] = [
    ['hostname', 'hostname'],
    ['computerName', 'computer_name'],
    ['uuid', 'uuid'],
    ['platform', 'platform'],
    ['platformLike', 'platform_like'],
    ['osVersion', 'os_version'],
    ['build', 'build'],
    ['codeName', 'code_name'],
    ['osqueryVersion', 'osquery_version'],
    ['kernelVersion', 'kernel_version'],
    ['uptimeSeconds', 'uptime_seconds'],
    ['memory', 'memory'],
    ['cpuType', 'cpu_type'],
    ['cpuSubtype', 'cpu_subtype'],
    ['cpuBrand', 'cpu_brand'],
    ['cpuPhysicalCores', 'cpu_physical_cores'],
    ['cpuLogicalCores', 'cpu_logical_cores'],
    ['hardwareVendor', 'hardware_vendor'],
    ['hardwareModel', 'hardware_model'],
    ['hardwareVersion', 'hardware_version'],
    ['hardwareSerial', 'hardware_serial'],
    ['primaryIp', 'primary_ip'],
    ['primaryMac', 'primary_mac'],
    ['distributedInterval', 'distributed_interval'],
    ['configTlsRefresh', 'config_tls_refresh'],
    ['loggerTlsPeriod', 'logger_tls_period'],
    ['gigsDiskSpaceAvailable', 'gigs_disk_space_available'],
    ['percentDiskSpaceAvailable', 'percent_disk_space_available'],
    ['gigsTotalDiskSpace', 'gigs_total_disk_space'],
    ['lastRestartedAt', 'last_restarted_at'],
  ]
  for (const [from, to] of map) {
    const value = vitals[from]
    if (value !== undefined) {
      Object.assign(columns, { [to]: value })
    }
  }
  return columns
}

export async function findHost(db: Db, id: number): Promise<Host | undefined> {
  const row = await selectHosts(db).where('id', '=', id).executeTakeFirst()
  return row && toHost(row)
}

export async function findHostByNodeKeyHash(db: Db, hash: string): Promise<Host | undefined> {
  const row = await selectHosts(db).where('node_key_hash', '=', hash).executeTakeFirst()
  return row && toHost(row)
}

/** A host by hostname, uuid, hardware serial or osquery identifier (Fleet's `/hosts/identifier`). */
export async function findHostByIdentifier(db: Db, identifier: string): Promise<Host | undefined> {
  const row = await selectHosts(db)
    .where((eb) =>
      eb.or([
        eb('hostname', '=', identifier),
        eb('uuid', '=', identifier),
        eb('hardware_serial', '=', identifier),
        eb('osquery_host_id', '=', identifier),
      ]),
    )
    .orderBy('id')
    .executeTakeFirst()
  return row && toHost(row)
}

/** The host an enrolling agent already is: same hardware uuid, else same osquery identifier. */
export async function findEnrolledHost(
  db: Db,
  uuid: string,
  osqueryHostId: string,
): Promise<Host | undefined> {
  if (uuid) {
    const row = await selectHosts(db).where('uuid', '=', uuid).orderBy('id').executeTakeFirst()
    if (row) {
      return toHost(row)
    }
  }
  if (osqueryHostId) {
    const row = await selectHosts(db)
      .where('osquery_host_id', '=', osqueryHostId)
      .orderBy('id')
      .executeTakeFirst()
    if (row) {
      return toHost(row)
    }
  }
  return undefined
}

/** What an enrollment records about a host, new or returning. */
export interface Enrollment {
  teamId: number | null
  nodeKeyHash: string
  osqueryHostId: string
  publicIp: string
  vitals: HostVitals
  now: number
}

function enrollmentColumns(host: Enrollment): Updateable<HostsTable> & { updated_at: number } {
  return {
    ...vitalsColumns(host.vitals),
    updated_at: host.now,
    team_id: host.teamId,
    node_key_hash: host.nodeKeyHash,
    osquery_host_id: host.osqueryHostId,
    public_ip: host.publicIp,
    last_enrolled_at: host.now,
    seen_time: host.now,
  }
}

export async function insertHost(db: Db, host: Enrollment): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('hosts').values({ ...enrollmentColumns(host), created_at: host.now }),
  )
}

export async function reenrollHost(db: Db, id: number, host: Enrollment): Promise<void> {
  await db
    .updateTable('hosts')
    // Re-enrollment re-reads everything (the pipeline also starts providers' schedules over).
    .set({ ...enrollmentColumns(host), detail_updated_at: 0 })
    .where('id', '=', id)
    .execute()
}

/** Stores freshly ingested vitals; `detailUpdatedAt` marks a full detail refresh and clears refetch. */
export async function updateHostVitals(
  db: Db,
  id: number,
  vitals: HostVitals,
  extra: { now: number; publicIp?: string; detailUpdatedAt?: number },
): Promise<void> {
  await db
    .updateTable('hosts')
    .set({
      ...vitalsColumns(vitals),
      updated_at: extra.now,
      ...(extra.publicIp !== undefined && { public_ip: extra.publicIp }),
      ...(extra.detailUpdatedAt !== undefined && {
        detail_updated_at: extra.detailUpdatedAt,
        refetch_requested: 0,
      }),
    })
    .where('id', '=', id)
    .execute()
}

export async function replaceHostUsers(
  db: Db,
  hostId: number,
  users: readonly HostUser[],
): Promise<void> {
  await db.deleteFrom('host_users').where('host_id', '=', hostId).execute()
  for (let i = 0; i < users.length; i += 500) {
    await db
      .insertInto('host_users')
      .values(users.slice(i, i + 500).map((u) => ({ host_id: hostId, ...u })))
      .execute()
  }
}

export async function hostUsers(db: Db, hostId: number): Promise<HostUser[]> {
  return db
    .selectFrom('host_users')
    .select(['uid', 'username', 'type', 'groupname', 'shell'])
    .where('host_id', '=', hostId)
    .orderBy('uid')
    .orderBy('username')
    .execute()
}

/** Writes buffered check-in times (see {@link writeCheckinsBySecond}). */
export async function updateSeenTimes(db: Db, seen: ReadonlyMap<number, number>): Promise<void> {
  await writeCheckinsBySecond(seen, (second, ids) =>
    db
      .updateTable('hosts')
      .set({ seen_time: second })
      .where('id', 'in', ids)
      .where('seen_time', '<', second)
      .execute(),
  )
}

export async function setIntervals(
  db: Db,
  id: number,
  intervals: { distributedInterval: number; configTlsRefresh: number; loggerTlsPeriod: number },
): Promise<void> {
  await db
    .updateTable('hosts')
    .set({
      distributed_interval: intervals.distributedInterval,
      config_tls_refresh: intervals.configTlsRefresh,
      logger_tls_period: intervals.loggerTlsPeriod,
    })
    .where('id', '=', id)
    .execute()
}

export async function requestRefetch(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) {
    await db
      .updateTable('hosts')
      .set({ refetch_requested: 1 })
      .where('id', 'in', [...ids])
      .execute()
  }
}

export async function deleteHosts(db: Db, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    await db
      .deleteFrom('hosts')
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute()
  }
}

export async function transferHosts(
  db: Db,
  ids: readonly number[],
  teamId: number | null,
  now: number,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    await db
      .updateTable('hosts')
      .set({ team_id: teamId, updated_at: now })
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute()
  }
}
