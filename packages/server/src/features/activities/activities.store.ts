import type { Selectable } from 'kysely'
import type { Db } from '../../db/database.js'
import { insertReturningId, withPage } from '../../platform/db/index.js'
import type { Activity } from './activity.js'
import type { ActivitiesTable } from './activities.table.js'

function toActivity(row: Selectable<ActivitiesTable>): Activity {
  return {
    id: row.id,
    createdAt: row.created_at,
    actorId: row.user_id,
    actorName: row.user_name,
    actorEmail: row.user_email,
    type: row.activity_type,
    details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
    fleetInitiated: row.fleet_initiated === 1,
  }
}

/** Inserts an activity and links it to the hosts it concerns; returns its id. */
export async function insertActivity(
  db: Db,
  row: Omit<Activity, 'id' | 'details'> & { details: Record<string, unknown> },
  hostIds: readonly number[] = [],
): Promise<number> {
  const id = await insertReturningId(
    db,
    db.insertInto('activities').values({
      created_at: row.createdAt,
      user_id: row.actorId,
      user_name: row.actorName,
      user_email: row.actorEmail,
      activity_type: row.type,
      details: JSON.stringify(row.details),
      fleet_initiated: row.fleetInitiated ? 1 : 0,
    }),
  )
  if (hostIds.length > 0) {
    await db
      .insertInto('activity_hosts')
      .values(hostIds.map((hostId) => ({ host_id: hostId, activity_id: id })))
      .execute()
  }
  return id
}

/**
 * One page of the activities that concern a host, newest first, plus one extra row to tell
 * whether a next page exists (reads through the activity_hosts index).
 */
export async function listHostActivities(
  db: Db,
  hostId: number,
  window: { offset: number; limit?: number | undefined },
): Promise<Activity[]> {
  const rows = await withPage(
    db
      .selectFrom('activity_hosts')
      .innerJoin('activities', 'activities.id', 'activity_hosts.activity_id')
      .selectAll('activities')
      .where('activity_hosts.host_id', '=', hostId)
      .orderBy('activities.created_at', 'desc')
      .orderBy('activities.id', 'desc'),
    window,
  ).execute()
  return rows.map(toActivity)
}

export interface ActivityFilter {
  type?: string
  orderKey: 'id' | 'created_at' | 'type'
  direction: 'asc' | 'desc'
  offset: number
  /** Undefined: every activity. */
  limit?: number
}

/** One page of activities plus one extra row to tell whether a next page exists. */
export async function listActivities(db: Db, filter: ActivityFilter): Promise<Activity[]> {
  let query = db.selectFrom('activities').selectAll()
  if (filter.type) {
    query = query.where('activity_type', '=', filter.type)
  }
  const column = filter.orderKey === 'type' ? 'activity_type' : filter.orderKey
  const rows = await withPage(
    query.orderBy(column, filter.direction).orderBy('id', filter.direction),
    filter,
  ).execute()
  return rows.map(toActivity)
}

/** Deletes up to `limit` activities recorded before `before` (oldest first); returns how many. */
export async function deleteActivitiesBefore(
  db: Db,
  before: number,
  limit: number,
): Promise<number> {
  // Ids first: MySQL can't DELETE with a LIMIT in a subquery of the same table.
  const rows = await db
    .selectFrom('activities')
    .select('id')
    .where('created_at', '<', before)
    .orderBy('id')
    .limit(limit)
    .execute()
  if (rows.length === 0) {
    return 0
  }
  const ids = rows.map((r) => r.id)
  await db.deleteFrom('activity_hosts').where('activity_id', 'in', ids).execute()
  await db.deleteFrom('activities').where('id', 'in', ids).execute()
  return rows.length
}
