import type { Db } from '../../db/database.js'

/** The stored settings document, or undefined before anything was saved. */
export async function readAppConfigJson(db: Db): Promise<unknown> {
  const row = await db
    .selectFrom('app_config')
    .select('json')
    .where('id', '=', 1)
    .executeTakeFirst()
  return row ? (JSON.parse(row.json) as unknown) : undefined
}

export async function writeAppConfigJson(db: Db, document: unknown, now: number): Promise<void> {
  const json = JSON.stringify(document)
  const updated = await db
    .updateTable('app_config')
    .set({ json, updated_at: now })
    .where('id', '=', 1)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) {
    await db.insertInto('app_config').values({ id: 1, json, updated_at: now }).execute()
  }
}
