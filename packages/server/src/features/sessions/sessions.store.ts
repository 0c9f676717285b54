import type { Selectable } from 'kysely'
import type { Db } from '../../db/database.js'
import { insertReturningId } from '../../platform/db/index.js'
import type { Session } from './session.js'
import type { SessionsTable } from './sessions.table.js'

function toSession(row: Selectable<SessionsTable>): Session {
  return { id: row.id, userId: row.user_id, createdAt: row.created_at, accessedAt: row.accessed_at }
}

export async function insertSession(
  db: Db,
  userId: number,
  tokenHash: string,
  now: number,
): Promise<number> {
  return insertReturningId(
    db,
    db
      .insertInto('sessions')
      .values({ user_id: userId, token_hash: tokenHash, created_at: now, accessed_at: now }),
  )
}

export async function findSessionByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<Session | undefined> {
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
  return row && toSession(row)
}

export async function findSession(db: Db, id: number): Promise<Session | undefined> {
  const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toSession(row)
}

export async function listSessionsOfUser(db: Db, userId: number): Promise<Session[]> {
  const rows = await db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute()
  return rows.map(toSession)
}

export async function touchSession(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('sessions').set({ accessed_at: now }).where('id', '=', id).execute()
}

export async function deleteSession(db: Db, id: number): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute()
}

/** Deletes a user's sessions, keeping `exceptId` if given (the caller's own). */
export async function deleteSessionsOfUser(
  db: Db,
  userId: number,
  exceptId?: number,
): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (exceptId !== undefined) {
    query = query.where('id', '!=', exceptId)
  }
  await query.execute()
}
