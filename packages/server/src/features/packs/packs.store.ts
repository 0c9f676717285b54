import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { insertReturningId, withPage } from '../../platform/db/index.js'
import type {
  EntryOptions,
  NewPackEntry,
  PackEntry,
  PackFields,
  PackTargets,
  PackTargetType,
  QueryPack,
} from './pack.js'

interface PackRow {
  id: number
  created_at: number | string
  updated_at: number | string
  name: string
  description: string
  platform: string
  disabled: number
}

const flag = (value: number | null): boolean | null => (value === null ? null : Number(value) === 1)
const bit = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0)

function toPack(row: PackRow, targets: PackTargets): QueryPack {
  return {
    id: row.id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    name: row.name,
    description: row.description,
    platform: row.platform,
    disabled: Number(row.disabled) === 1,
    ...targets,
  }
}

async function targetsOf(db: Db, packIds: readonly number[]): Promise<Map<number, PackTargets>> {
  const byPack = new Map<number, PackTargets>(
    packIds.map((id) => [id, { labelIds: [], hostIds: [], teamIds: [] }]),
  )
  for (let i = 0; i < packIds.length; i += 500) {
    const rows = await db
      .selectFrom('pack_targets')
      .selectAll()
      .where('pack_id', 'in', packIds.slice(i, i + 500))
      .orderBy('target_id')
      .execute()
    for (const row of rows) {
      const targets = byPack.get(row.pack_id)
      const list =
        row.target_type === 'label'
          ? targets?.labelIds
          : row.target_type === 'host'
            ? targets?.hostIds
            : targets?.teamIds
      list?.push(Number(row.target_id))
    }
  }
  return byPack
}

async function withTargets(db: Db, rows: readonly PackRow[]): Promise<QueryPack[]> {
  const targets = await targetsOf(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((row) =>
    toPack(row, targets.get(row.id) ?? { labelIds: [], hostIds: [], teamIds: [] }),
  )
}

export interface PackListOptions {
  orderKey: 'id' | 'name' | 'created_at' | 'updated_at'
  direction: 'asc' | 'desc'
  offset: number
  limit?: number | undefined
}

export async function listPacks(db: Db, options: PackListOptions): Promise<QueryPack[]> {
  const rows = await withPage(
    db
      .selectFrom('packs')
      .selectAll()
      .orderBy(options.orderKey, options.direction)
      .orderBy('id', 'asc'),
    options,
  ).execute()
  return withTargets(db, rows)
}

export async function allPacks(db: Db): Promise<QueryPack[]> {
  return listPacks(db, { orderKey: 'name', direction: 'asc', offset: 0 })
}

export async function findPack(db: Db, id: number): Promise<QueryPack | undefined> {
  const row = await db.selectFrom('packs').selectAll().where('id', '=', id).executeTakeFirst()
  return row && (await withTargets(db, [row]))[0]
}

export async function findPackByName(db: Db, name: string): Promise<QueryPack | undefined> {
  const row = await db.selectFrom('packs').selectAll().where('name', '=', name).executeTakeFirst()
  return row && (await withTargets(db, [row]))[0]
}

export async function insertPack(db: Db, fields: PackFields, now: number): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('packs').values({
      created_at: now,
      updated_at: now,
      name: fields.name,
      description: fields.description,
      platform: fields.platform,
      disabled: fields.disabled ? 1 : 0,
    }),
  )
}

export async function updatePack(
  db: Db,
  id: number,
  fields: Partial<PackFields>,
  now: number,
): Promise<void> {
  await db
    .updateTable('packs')
    .set({
      updated_at: now,
      ...(fields.name !== undefined && { name: fields.name }),
      ...(fields.description !== undefined && { description: fields.description }),
      ...(fields.platform !== undefined && { platform: fields.platform }),
      ...(fields.disabled !== undefined && { disabled: fields.disabled ? 1 : 0 }),
    })
    .where('id', '=', id)
    .execute()
}

const TARGET_LISTS: readonly [PackTargetType, keyof PackTargets][] = [
  ['label', 'labelIds'],
  ['host', 'hostIds'],
  ['team', 'teamIds'],
]

/** Replaces the pack's targets of each kind given (a kind left undefined stays as it is). */
export async function setTargets(
  db: Db,
  packId: number,
  targets: Partial<PackTargets>,
): Promise<void> {
  for (const [type, key] of TARGET_LISTS) {
    const ids = targets[key]
    if (ids === undefined) {
      continue
    }
    await db
      .deleteFrom('pack_targets')
      .where('pack_id', '=', packId)
      .where('target_type', '=', type)
      .execute()
    const unique = [...new Set(ids)]
    for (let i = 0; i < unique.length; i += 500) {
      await db
        .insertInto('pack_targets')
        .values(
          unique
            .slice(i, i + 500)
            .map((id) => ({ pack_id: packId, target_type: type, target_id: id })),
        )
        .execute()
    }
  }
}

export async function deletePack(db: Db, id: number): Promise<void> {
  // Explicit: SQLite enforces the cascade only with foreign keys on.
  await db.deleteFrom('pack_scheduled_queries').where('pack_id', '=', id).execute()
  await db.deleteFrom('pack_targets').where('pack_id', '=', id).execute()
  await db.deleteFrom('packs').where('id', '=', id).execute()
}

/** Hosts a pack's targets reach (Fleet's `total_hosts_count`). */
export async function countTargetedHosts(db: Db, targets: PackTargets): Promise<number> {
  const { hostIds, teamIds, labelIds } = targets
  if (hostIds.length + teamIds.length + labelIds.length === 0) {
    return 0
  }
  const row = await db
    .selectFrom('hosts')
    .select(sql<number>`count(*)`.as('n'))
    .where((eb) =>
      eb.or([
        ...(hostIds.length > 0 ? [eb('hosts.id', 'in', hostIds)] : []),
        ...(teamIds.length > 0 ? [eb('hosts.team_id', 'in', teamIds)] : []),
        ...(labelIds.length > 0
          ? [
              eb(
                'hosts.id',
                'in',
                eb
                  .selectFrom('label_membership')
                  .select('label_membership.host_id')
                  .where('label_membership.label_id', 'in', labelIds),
              ),
            ]
          : []),
      ]),
    )
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

interface EntryRow {
  id: number
  created_at: number | string
  updated_at: number | string
  pack_id: number
  query_id: number
  name: string
  description: string
  schedule_interval: number
  snapshot: number | null
  removed: number | null
  platform: string | null
  version: string | null
  shard: number | null
  denylist: number | null
}

function toEntry(row: EntryRow): PackEntry {
  return {
    id: row.id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    packId: row.pack_id,
    queryId: row.query_id,
    name: row.name,
    description: row.description,
    interval: Number(row.schedule_interval),
    snapshot: flag(row.snapshot),
    removed: flag(row.removed),
    platform: row.platform,
    version: row.version,
    shard: row.shard === null ? null : Number(row.shard),
    denylist: flag(row.denylist),
  }
}

function optionColumns(options: Partial<EntryOptions>) {
  return {
    ...(options.interval !== undefined && { schedule_interval: options.interval }),
    ...(options.snapshot !== undefined && { snapshot: bit(options.snapshot) }),
    ...(options.removed !== undefined && { removed: bit(options.removed) }),
    ...(options.platform !== undefined && { platform: options.platform }),
    ...(options.version !== undefined && { version: options.version }),
    ...(options.shard !== undefined && { shard: options.shard }),
    ...(options.denylist !== undefined && { denylist: bit(options.denylist) }),
  }
}

/** Entries of one pack (or of every pack), in the order they were added. */
export async function listEntries(db: Db, packId?: number): Promise<PackEntry[]> {
  let query = db.selectFrom('pack_scheduled_queries').selectAll()
  if (packId !== undefined) {
    query = query.where('pack_id', '=', packId)
  }
  return (await query.orderBy('id').execute()).map(toEntry)
}

export async function findEntry(db: Db, id: number): Promise<PackEntry | undefined> {
  const row = await db
    .selectFrom('pack_scheduled_queries')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toEntry(row)
}

export async function insertEntry(db: Db, entry: NewPackEntry, now: number): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('pack_scheduled_queries').values({
      created_at: now,
      updated_at: now,
      pack_id: entry.packId,
      query_id: entry.queryId,
      name: entry.name,
      description: entry.description,
      schedule_interval: entry.interval,
      snapshot: bit(entry.snapshot),
      removed: bit(entry.removed),
      platform: entry.platform,
      version: entry.version,
      shard: entry.shard,
      denylist: bit(entry.denylist),
    }),
  )
}

export async function updateEntry(
  db: Db,
  id: number,
  options: Partial<EntryOptions>,
  now: number,
): Promise<void> {
  await db
    .updateTable('pack_scheduled_queries')
    .set({ updated_at: now, ...optionColumns(options) })
    .where('id', '=', id)
    .execute()
}

export async function deleteEntries(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) {
    await db.deleteFrom('pack_scheduled_queries').where('id', 'in', ids).execute()
  }
}

/** Label names by id (spec output); ids of deleted labels are absent. */
export async function labelNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) {
    return new Map()
  }
  const rows = await db
    .selectFrom('labels')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

/** Label ids by name (spec input); unknown names are absent. */
export async function labelIdsByName(
  db: Db,
  names: readonly string[],
): Promise<Map<string, number>> {
  if (names.length === 0) {
    return new Map()
  }
  const rows = await db
    .selectFrom('labels')
    .select(['id', 'name'])
    .where('name', 'in', [...new Set(names)])
    .execute()
  return new Map(rows.map((r) => [r.name, r.id]))
}
