import { QueryLogging } from '@fleet/api'
import type { Db } from '../../db/database.js'
import { insertReturningId, lowerContains, withPage } from '../../platform/db/index.js'
import type { QueryChanges, SavedQuery } from './query.js'

const COLUMNS = [
  'queries.id',
  'queries.created_at',
  'queries.updated_at',
  'queries.team_id',
  'queries.name',
  'queries.description',
  'queries.query',
  'queries.observer_can_run',
  'queries.schedule_interval',
  'queries.platform',
  'queries.min_osquery_version',
  'queries.automations_enabled',
  'queries.logging_type',
  'queries.discard_data',
  'queries.author_id',
] as const

interface QueryRow {
  id: number
  created_at: number | string
  updated_at: number | string
  team_id: number | null
  name: string
  description: string
  query: string
  observer_can_run: number
  schedule_interval: number
  platform: string
  min_osquery_version: string
  automations_enabled: number
  logging_type: string
  discard_data: number
  author_id: number | null
  author_name: string | null
  author_email: string | null
}

function toQuery(row: QueryRow): SavedQuery {
  const logging = QueryLogging.safeParse(row.logging_type)
  return {
    id: row.id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    teamId: row.team_id,
    name: row.name,
    description: row.description,
    query: row.query,
    observerCanRun: Number(row.observer_can_run) === 1,
    interval: Number(row.schedule_interval),
    platform: row.platform,
    minOsqueryVersion: row.min_osquery_version,
    automationsEnabled: Number(row.automations_enabled) === 1,
    logging: logging.success ? logging.data : 'snapshot',
    discardData: Number(row.discard_data) === 1,
    authorId: row.author_id,
    authorName: row.author_name ?? '',
    authorEmail: row.author_email ?? '',
  }
}

function selectQueries(db: Db) {
  return db
    .selectFrom('queries')
    .leftJoin('users', 'users.id', 'queries.author_id')
    .select([...COLUMNS, 'users.name as author_name', 'users.email as author_email'])
}

function changeColumns(changes: Partial<QueryChanges>) {
  const bit = (value: boolean) => (value ? 1 : 0)
  return {
    ...(changes.name !== undefined && { name: changes.name }),
    ...(changes.description !== undefined && { description: changes.description }),
    ...(changes.query !== undefined && { query: changes.query }),
    ...(changes.observerCanRun !== undefined && {
      observer_can_run: bit(changes.observerCanRun),
    }),
    ...(changes.interval !== undefined && { schedule_interval: changes.interval }),
    ...(changes.platform !== undefined && { platform: changes.platform }),
    ...(changes.minOsqueryVersion !== undefined && {
      min_osquery_version: changes.minOsqueryVersion,
    }),
    ...(changes.automationsEnabled !== undefined && {
      automations_enabled: bit(changes.automationsEnabled),
    }),
    ...(changes.logging !== undefined && { logging_type: changes.logging }),
    ...(changes.discardData !== undefined && { discard_data: bit(changes.discardData) }),
  }
}

export async function findQuery(db: Db, id: number): Promise<SavedQuery | undefined> {
  const row = await selectQueries(db).where('queries.id', '=', id).executeTakeFirst()
  return row && toQuery(row)
}

/** A query by name in a team (`teamId` null: the global queries). */
export async function findQueryByName(
  db: Db,
  teamId: number | null,
  name: string,
): Promise<SavedQuery | undefined> {
  const row = await selectQueries(db)
    .where('queries.team_id_char', '=', teamId === null ? '' : String(teamId))
    .where('queries.name', '=', name)
    .executeTakeFirst()
  return row && toQuery(row)
}

export interface QueryListOptions {
  /** Team whose queries to list; null for the global ones. */
  teamId: number | null
  /** With a team: include the global queries too. */
  includeGlobal: boolean
  nameContains?: string
  /** Only queries observers may run (what observers are shown, as in Fleet). */
  onlyObserverCanRun?: boolean
  /** Only queries with an interval (Fleet's deprecated global and team schedule). */
  onlyScheduled?: boolean
  orderKey: 'id' | 'name' | 'created_at' | 'updated_at' | 'interval'
  direction: 'asc' | 'desc'
  offset: number
  limit?: number
}

function listFilter(db: Db, options: QueryListOptions) {
  let query = selectQueries(db)
  if (options.teamId === null) {
    query = query.where('queries.team_id', 'is', null)
  } else if (options.includeGlobal) {
    const teamId = options.teamId
    query = query.where((eb) =>
      eb.or([eb('queries.team_id', '=', teamId), eb('queries.team_id', 'is', null)]),
    )
  } else {
    query = query.where('queries.team_id', '=', options.teamId)
  }
  if (options.onlyObserverCanRun) {
    query = query.where('queries.observer_can_run', '=', 1)
  }
  if (options.onlyScheduled) {
    query = query.where('queries.schedule_interval', '>', 0)
  }
  if (options.nameContains) {
    const text = options.nameContains
    query = query.where((eb) => lowerContains(eb.ref('queries.name'), text))
  }
  return query
}

const ORDER_COLUMNS = {
  id: 'queries.id',
  name: 'queries.name',
  created_at: 'queries.created_at',
  updated_at: 'queries.updated_at',
  interval: 'queries.schedule_interval',
} as const

export async function listQueries(db: Db, options: QueryListOptions): Promise<SavedQuery[]> {
  const column = ORDER_COLUMNS[options.orderKey]
  let query = listFilter(db, options)
    .orderBy(column, options.direction)
    .orderBy('queries.id', options.direction)
  query = withPage(query, options)
  return (await query.execute()).map(toQuery)
}

export async function countQueries(db: Db, options: QueryListOptions): Promise<number> {
  const row = await listFilter(db, options)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Every query (the agent path keeps the scheduled ones in memory). */
export async function allQueries(db: Db): Promise<SavedQuery[]> {
  return (await selectQueries(db).orderBy('queries.id').execute()).map(toQuery)
}

export async function insertQuery(
  db: Db,
  query: QueryChanges & { teamId: number | null; authorId: number | null },
  now: number,
): Promise<number> {
  const columns = changeColumns(query)
  return insertReturningId(
    db,
    db.insertInto('queries').values({
      created_at: now,
      updated_at: now,
      team_id: query.teamId,
      team_id_char: query.teamId === null ? '' : String(query.teamId),
      author_id: query.authorId,
      name: query.name,
      description: query.description,
      query: query.query,
      observer_can_run: columns.observer_can_run ?? 0,
      schedule_interval: query.interval,
      platform: query.platform,
      min_osquery_version: query.minOsqueryVersion,
      automations_enabled: columns.automations_enabled ?? 0,
      logging_type: query.logging,
      discard_data: columns.discard_data ?? 0,
    }),
  )
}

export async function updateQuery(
  db: Db,
  id: number,
  changes: Partial<QueryChanges>,
  now: number,
): Promise<void> {
  await db
    .updateTable('queries')
    .set({ updated_at: now, ...changeColumns(changes) })
    .where('id', '=', id)
    .execute()
}

export async function deleteQueries(db: Db, ids: readonly number[]): Promise<number> {
  let deleted = 0
  for (let i = 0; i < ids.length; i += 500) {
    const result = await db
      .deleteFrom('queries')
      .where('id', 'in', ids.slice(i, i + 500))
      .executeTakeFirst()
    deleted += Number(result.numDeletedRows)
  }
  return deleted
}

/** The queries among `ids` that exist. */
export async function queriesByIds(db: Db, ids: readonly number[]): Promise<SavedQuery[]> {
  const found: SavedQuery[] = []
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await selectQueries(db)
      .where('queries.id', 'in', ids.slice(i, i + 500))
      .execute()
    found.push(...rows.map(toQuery))
  }
  return found
}
