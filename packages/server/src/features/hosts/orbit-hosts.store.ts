import type { Db } from '../../db/database.js'
import { writeCheckinsBySecond } from './seen-time-buffer.js'
import { insertReturningId } from '../../platform/db/index.js'
import type { Host } from './host.js'
import type { OrbitEnrollment, OrbitHost, OrbitInfo } from './orbit-host.js'

/** The host holding an orbit node key (by its hash). */
export async function findOrbitHost(db: Db, nodeKeyHash: string): Promise<OrbitHost | undefined> {
  const row = await db
    .selectFrom('host_orbit_info')
    .innerJoin('hosts', 'hosts.id', 'host_orbit_info.host_id')
    .select(['hosts.id', 'hosts.team_id', 'hosts.platform'])
    .where('host_orbit_info.node_key_hash', '=', nodeKeyHash)
    .executeTakeFirst()
  return row && { id: row.id, teamId: row.team_id, platform: row.platform }
}

/**
 * Creates the host orbit enrolls before osquery has: no osquery node key yet, and a refetch
 * requested so its vitals are read as soon as osquery checks in.
 */
export async function insertOrbitHost(db: Db, host: OrbitEnrollment): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('hosts').values({
      created_at: host.now,
      updated_at: host.now,
      team_id: host.teamId,
      uuid: host.uuid,
      osquery_host_id: host.osqueryHostId,
      hardware_serial: host.hardwareSerial,
      hostname: host.hostname,
      computer_name: host.computerName,
      hardware_model: host.hardwareModel,
      platform: host.platform,
      platform_like: host.platformLike,
      refetch_requested: 1,
    }),
  )
}

/**
 * Orbit enrolling into an existing host: what osquery reported wins, orbit only fills blanks;
 * the host moves to the enroll secret's team.
 */
export async function updateOrbitHost(db: Db, host: Host, orbit: OrbitEnrollment): Promise<void> {
  await db
    .updateTable('hosts')
    .set({
      updated_at: orbit.now,
      team_id: orbit.teamId,
      uuid: host.uuid || orbit.uuid,
      osquery_host_id: host.osqueryHostId || orbit.osqueryHostId,
      hardware_serial: host.hardwareSerial || orbit.hardwareSerial,
      computer_name: host.computerName || orbit.computerName,
      hardware_model: host.hardwareModel || orbit.hardwareModel,
    })
    .where('id', '=', host.id)
    .execute()
}

/** Gives the host a new orbit node key (replacing any previous one) and marks it enrolled. */
export async function setOrbitNodeKey(
  db: Db,
  hostId: number,
  nodeKeyHash: string,
  now: number,
): Promise<void> {
  const values = { node_key_hash: nodeKeyHash, enrolled_at: now, last_checkin_at: now }
  const existing = await db
    .selectFrom('host_orbit_info')
    .select('host_id')
    .where('host_id', '=', hostId)
    .executeTakeFirst()
  if (existing) {
    await db.updateTable('host_orbit_info').set(values).where('host_id', '=', hostId).execute()
    return
  }
  await db
    .insertInto('host_orbit_info')
    .values({ host_id: hostId, ...values })
    .execute()
}

/** Writes buffered orbit check-in times (see {@link writeCheckinsBySecond}). */
export async function updateOrbitCheckins(
  db: Db,
  checkins: ReadonlyMap<number, number>,
): Promise<void> {
  await writeCheckinsBySecond(checkins, (second, ids) =>
    db
      .updateTable('host_orbit_info')
      .set({ last_checkin_at: second })
      .where('host_id', 'in', ids)
      .where('last_checkin_at', '<', second)
      .execute(),
  )
}

/** The hash of the host's current device token, if it has one. */
export async function deviceTokenHashOf(db: Db, hostId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('host_device_auth')
    .select('token_hash')
    .where('host_id', '=', hostId)
    .executeTakeFirst()
  return row?.token_hash
}

/** Which host holds a device token (by its hash), and since when. */
export async function findDeviceToken(
  db: Db,
  tokenHash: string,
): Promise<{ hostId: number; createdAt: number } | undefined> {
  const row = await db
    .selectFrom('host_device_auth')
    .select(['host_id', 'created_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
  return row && { hostId: row.host_id, createdAt: row.created_at }
}

/** Replaces the host's device token (the previous one stops working). */
export async function replaceDeviceToken(
  db: Db,
  hostId: number,
  tokenHash: string,
  now: number,
): Promise<void> {
  await db.deleteFrom('host_device_auth').where('host_id', '=', hostId).execute()
  await db
    .insertInto('host_device_auth')
    .values({ host_id: hostId, token_hash: tokenHash, created_at: now })
    .execute()
}

/**
 * Stores what the host's orbit_info table reported. The row exists once orbit enrolled; an
 * osquery host running under an orbit that enrolled elsewhere gets one without a node key.
 */
export async function setOrbitInfo(db: Db, hostId: number, info: OrbitInfo): Promise<void> {
  const values = {
    version: info.version,
    desktop_version: info.desktopVersion ?? '',
    scripts_enabled: info.scriptsEnabled === null ? null : info.scriptsEnabled ? 1 : 0,
  }
  const updated = await db
    .updateTable('host_orbit_info')
    .set(values)
    .where('host_id', '=', hostId)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) > 0) {
    return
  }
  await db
    .insertInto('host_orbit_info')
    .values({ host_id: hostId, ...values })
    .execute()
}

/** The host's orbit as its orbit_info last reported it; undefined without orbit. */
export async function orbitInfoOf(db: Db, hostId: number): Promise<OrbitInfo | undefined> {
  const row = await db
    .selectFrom('host_orbit_info')
    .select(['version', 'desktop_version', 'scripts_enabled'])
    .where('host_id', '=', hostId)
    .executeTakeFirst()
  if (!row || row.version === '') {
    return undefined
  }
  return {
    version: row.version,
    desktopVersion: row.desktop_version === '' ? null : row.desktop_version,
    scriptsEnabled: row.scripts_enabled === null ? null : row.scripts_enabled === 1,
  }
}
