import type { Selectable, Updateable } from 'kysely'
import type { Db } from '../../db/database.js'
import { writeCheckinsBySecond } from './seen-time-buffer.js'
import { insertReturningId } from '../../platform/db/index.js'
import type { Host, HostUser, HostVitals } from './host.js'
import type { HostsTable } from './hosts.table.js'

export function toHost(row: Selectable<HostsTable>): Host {
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
    labelUpdatedAt: row.label_updated_at,
    policyUpdatedAt: row.policy_updated_at,
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
  const row = await db.selectFrom('hosts').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toHost(row)
}

export async function findHostByNodeKeyHash(db: Db, hash: string): Promise<Host | undefined> {
  const row = await db
    .selectFrom('hosts')
    .selectAll()
    .where('node_key_hash', '=', hash)
    .executeTakeFirst()
  return row && toHost(row)
}

/** A host by hostname, uuid, hardware serial or osquery identifier (Fleet's `/hosts/identifier`). */
export async function findHostByIdentifier(db: Db, identifier: string): Promise<Host | undefined> {
  const row = await db
    .selectFrom('hosts')
    .selectAll()
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
    const row = await db
      .selectFrom('hosts')
      .selectAll()
      .where('uuid', '=', uuid)
      .orderBy('id')
      .executeTakeFirst()
    if (row) {
      return toHost(row)
    }
  }
  if (osqueryHostId) {
    const row = await db
      .selectFrom('hosts')
      .selectAll()
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
    // Re-enrollment re-reads everything.
    .set({
      ...enrollmentColumns(host),
      detail_updated_at: 0,
      label_updated_at: 0,
      policy_updated_at: 0,
    })
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

/** Marks a full label or policy refresh of the host. */
export async function setGateTime(
  db: Db,
  id: number,
  gate: 'labelUpdatedAt' | 'policyUpdatedAt',
  at: number,
): Promise<void> {
  await db
    .updateTable('hosts')
    .set(gate === 'labelUpdatedAt' ? { label_updated_at: at } : { policy_updated_at: at })
    .where('id', '=', id)
    .execute()
}
