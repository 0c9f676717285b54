import { sql, type Kysely } from 'kysely'
import { dialectOf, withTableOptions } from './helpers-v1.js'

/** Existing activities are linked in batches of this many. */
const BATCH = 500

/** The host ids an activity's details name (`host_id`, `host_ids`), as recorded at this time. */
function hostIdsIn(details: string | null): number[] {
  if (details === null) {
    return []
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(details)
  } catch {
    return []
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return []
  }
  const record = parsed as Record<string, unknown>
  const ids = Array.isArray(record.host_ids) ? [...record.host_ids] : []
  ids.push(record.host_id)
  return [...new Set(ids.filter((id): id is number => Number.isInteger(id) && Number(id) > 0))]
}

/**
 * Which activities concern which host (Fleet's host_activities), so `GET /hosts/:id/activities`
 * reads a host's past activities by index instead of scanning the feed. Activities recorded
 * before this migration are linked from their details' `host_id` / `host_ids`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withTableOptions(
    db.schema
      .createTable('activity_hosts')
      .addColumn('host_id', 'integer', (c) => c.notNull())
      .addColumn('activity_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('activity_hosts_pk', ['host_id', 'activity_id']),
    dialectOf(db),
  ).execute()
  await db.schema
    .createIndex('activity_hosts_activity_id')
    .on('activity_hosts')
    .column('activity_id')
    .execute()
  let after = 0
  for (;;) {
    const { rows } = await sql<{ id: number; details: string | null }>`
      select id, details from activities where id > ${after} order by id limit ${BATCH}`.execute(db)
    const last = rows.at(-1)
    if (!last) {
      return
    }
    after = Number(last.id)
    const links = rows.flatMap((row) =>
      hostIdsIn(row.details).map((hostId) => sql`(${hostId}, ${Number(row.id)})`),
    )
    if (links.length > 0) {
      await sql`insert into activity_hosts (host_id, activity_id) values ${sql.join(links)}`.execute(
        db,
      )
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('activity_hosts').execute()
}
