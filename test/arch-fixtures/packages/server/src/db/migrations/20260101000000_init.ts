// Obeys migrations-import-only-frozen-helpers through kysely and helpers-v1.ts, and breaks it through
// platform/db.ts (application code a later change could edit under an old migration).
import type { Kysely } from 'kysely'
import type { AnyDb } from './helpers-v1.js'
import { TIMESTAMP_TYPE } from '../../platform/db.js'

export async function up(db: Kysely<unknown>): Promise<AnyDb> {
  await db.schema.createTable('t').addColumn('at', TIMESTAMP_TYPE).execute()
  return db
}
