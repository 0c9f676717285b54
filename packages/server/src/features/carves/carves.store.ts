import type { Selectable } from 'kysely'
import type { Db } from '../../db/database.js'
import { insertReturningId, withPage } from '../../platform/db/index.js'
import type { Carve } from './carve.js'
import type { CarvesTable } from './carves.table.js'

function toCarve(row: Selectable<CarvesTable>): Carve {
  return {
    id: row.id,
    createdAt: row.created_at,
    hostId: row.host_id,
    name: row.name,
    blockCount: row.block_count,
    blockSize: row.block_size,
    carveSize: row.carve_size,
    carveId: row.carve_id,
    requestId: row.request_id,
    sessionId: row.session_id,
    maxBlock: row.max_block,
    error: row.error,
  }
}

export async function insertCarve(
  db: Db,
  carve: Omit<Carve, 'id' | 'maxBlock' | 'error'>,
): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('carves').values({
      created_at: carve.createdAt,
      host_id: carve.hostId,
      name: carve.name,
      block_count: carve.blockCount,
      block_size: carve.blockSize,
      carve_size: carve.carveSize,
      carve_id: carve.carveId,
      request_id: carve.requestId,
      session_id: carve.sessionId,
    }),
  )
}

export async function findCarve(db: Db, id: number): Promise<Carve | undefined> {
  const row = await db.selectFrom('carves').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toCarve(row)
}

export async function findCarveBySession(db: Db, sessionId: string): Promise<Carve | undefined> {
  const row = await db
    .selectFrom('carves')
    .selectAll()
    .where('session_id', '=', sessionId)
    .executeTakeFirst()
  return row && toCarve(row)
}

/** Carves newest first; without `includeExpired`, only those created after `expiredBefore`. */
export async function listCarves(
  db: Db,
  options: { expiredBefore: number; includeExpired: boolean; offset: number; limit?: number },
): Promise<Carve[]> {
  let query = db.selectFrom('carves').selectAll()
  if (!options.includeExpired) {
    query = query.where('created_at', '>=', options.expiredBefore)
  }
  const rows = await withPage(query.orderBy('id', 'desc'), options).execute()
  return rows.map(toCarve)
}

/**
 * Appends block `blockId` if it is the next one expected (`max_block + 1`), raising max_block in
 * the same statement that checks it, so two racing copies of a block store one. False when it was
 * not the next block: blocks are never replaced, so a finished carve can't be overwritten.
 */
export async function appendBlock(
  db: Db,
  carveId: number,
  blockId: number,
  data: Buffer,
): Promise<boolean> {
  const claimed = await db
    .updateTable('carves')
    .set({ max_block: blockId })
    .where('id', '=', carveId)
    .where('max_block', '=', blockId - 1)
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) === 0) {
    return false
  }
  await db
    .insertInto('carve_blocks')
    .values({ carve_id: carveId, block_id: blockId, data })
    .execute()
  return true
}

export async function readBlock(
  db: Db,
  carveId: number,
  blockId: number,
): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('carve_blocks')
    .select('data')
    .where('carve_id', '=', carveId)
    .where('block_id', '=', blockId)
    .executeTakeFirst()
  return row && Buffer.from(row.data)
}

/** Ids of carves created before `before` that still hold blocks, oldest first, at most `limit`. */
export async function carvesWithBlocksBefore(
  db: Db,
  before: number,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('carves')
    .select('id')
    .where('created_at', '<', before)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('carve_blocks')
          .select('carve_blocks.block_id')
          .whereRef('carve_blocks.carve_id', '=', 'carves.id'),
      ),
    )
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((row) => row.id)
}

/** Deletes every stored block of the given carves; their metadata stays (listed as expired). */
export async function deleteBlocks(db: Db, carveIds: readonly number[]): Promise<void> {
  if (carveIds.length === 0) {
    return
  }
  await db.deleteFrom('carve_blocks').where('carve_id', 'in', carveIds).execute()
}
