import type { Selectable } from 'kysely'
import type { Db } from '../../db/database.js'
import { withPage } from '../../platform/db/index.js'
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

export async function insertActivity(
  db: Db,
  row: Omit<Activity, 'id' | 'details'> & { details: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('activities')
    .values({
      created_at: row.createdAt,
      user_id: row.actorId,
      user_name: row.actorName,
      user_email: row.actorEmail,
      activity_type: row.type,
      details: JSON.stringify(row.details),
      fleet_initiated: row.fleetInitiated ? 1 : 0,
    })
    .execute()
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
  await db
    .deleteFrom('activities')
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute()
  return rows.length
}
