import type { Db } from '../../db/database.js'
import { lockRow } from '../../platform/db/index.js'

/** One stored report row with its host. */
export interface ReportRow {
  hostId: number
  hostName: string
  hostTeamId: number | null
  /** Column → value; null when the host's last snapshot had no rows. */
  columns: Record<string, unknown> | null
  lastFetched: number
}

function parseColumns(data: string | null): Record<string, unknown> | null {
  if (data === null) {
    return null
  }
  try {
    const value: unknown = JSON.parse(data)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value))
      : null
  } catch {
    return null
  }
}

/** How many rows a query's report holds (the cap counts these). */
export async function countReportRows(db: Db, queryId: number): Promise<number> {
  const row = await db
    .selectFrom('query_results')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('query_id', '=', queryId)
    .where('data', 'is not', null)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Whether a host has rows (with data) in a query's report. */
export async function hostHasRows(db: Db, queryId: number, hostId: number): Promise<boolean> {
  const row = await db
    .selectFrom('query_results')
    .select('id')
    .where('query_id', '=', queryId)
    .where('host_id', '=', hostId)
    .where('data', 'is not', null)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Replaces one host's rows in a query's report with `rows`, keeping the report within `cap` rows:
 * the host gets what room is left (possibly none, leaving only its fetch time). An empty snapshot
 * is stored as one row without data so the fetch time is kept. Returns how many rows were stored.
 * Run it inside a transaction.
 */
export async function replaceHostRows(
  db: Db,
  input: {
    queryId: number
    hostId: number
    rows: readonly Record<string, unknown>[]
    cap: number
    now: number
  },
): Promise<number> {
  // Hosts reporting at once would each count the room before the others inserted (a report
  // held 1,136 rows against a cap of 1,000): writers of one report take turns.
  await lockRow(db, 'queries', input.queryId)
  await db
    .deleteFrom('query_results')
    .where('query_id', '=', input.queryId)
    .where('host_id', '=', input.hostId)
    .execute()
  const room = Math.max(0, input.cap - (await countReportRows(db, input.queryId)))
  const kept = input.rows.slice(0, room)
  const values =
    kept.length === 0
      ? [{ query_id: input.queryId, host_id: input.hostId, data: null, last_fetched: input.now }]
      : kept.map((row) => ({
          query_id: input.queryId,
          host_id: input.hostId,
          data: JSON.stringify(row),
          last_fetched: input.now,
        }))
  for (let i = 0; i < values.length; i += 500) {
    await db
      .insertInto('query_results')
      .values(values.slice(i, i + 500))
      .execute()
  }
  return kept.length
}

export async function deleteReport(db: Db, queryId: number): Promise<void> {
  await db.deleteFrom('query_results').where('query_id', '=', queryId).execute()
}

function selectReport(db: Db, queryId: number) {
  return db
    .selectFrom('query_results')
    .innerJoin('hosts', 'hosts.id', 'query_results.host_id')
    .select([
      'query_results.host_id',
      'query_results.data',
      'query_results.last_fetched',
      'hosts.hostname',
      'hosts.computer_name',
      'hosts.team_id',
    ])
    .where('query_results.query_id', '=', queryId)
}

function toReportRow(row: {
  host_id: number
  data: string | null
  last_fetched: number
  hostname: string
  computer_name: string
  team_id: number | null
}): ReportRow {
  return {
    hostId: row.host_id,
    hostName: row.computer_name || row.hostname,
    hostTeamId: row.team_id,
    columns: parseColumns(row.data),
    lastFetched: Number(row.last_fetched),
  }
}

/**
 * A query's report, hosts in id order; `teamIds` limits it to hosts of those teams (for users
 * with team roles only).
 */
export async function reportRows(
  db: Db,
  queryId: number,
  teamIds?: readonly number[],
): Promise<ReportRow[]> {
  let query = selectReport(db, queryId)
  if (teamIds !== undefined) {
    if (teamIds.length === 0) {
      return []
    }
    query = query.where('hosts.team_id', 'in', [...teamIds])
  }
  const rows = await query.orderBy('query_results.host_id').orderBy('query_results.id').execute()
  return rows.map(toReportRow)
}

/** One host's rows of a query's report. */
export async function hostReportRows(
  db: Db,
  queryId: number,
  hostId: number,
): Promise<ReportRow[]> {
  const rows = await selectReport(db, queryId)
    .where('query_results.host_id', '=', hostId)
    .orderBy('query_results.id')
    .execute()
  return rows.map(toReportRow)
}

/** A host's name and team (reads the hosts table). */
export async function findReportHost(
  db: Db,
  hostId: number,
): Promise<{ id: number; name: string; teamId: number | null } | undefined> {
  const row = await db
    .selectFrom('hosts')
    .select(['id', 'hostname', 'computer_name', 'team_id'])
    .where('id', '=', hostId)
    .executeTakeFirst()
  return row && { id: row.id, name: row.computer_name || row.hostname, teamId: row.team_id }
}
