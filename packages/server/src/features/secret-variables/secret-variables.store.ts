import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { chunked, upsertSuffix } from '../../platform/db/index.js'

/** Stored secrets (sealed values) among `names`. */
export async function findSealed(db: Db, names: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const chunk of chunked(names)) {
    const rows = await db
      .selectFrom('secret_variables')
      .select(['name', 'value'])
      .where('name', 'in', chunk)
      .execute()
    rows.forEach((r) => out.set(r.name, r.value))
  }
  return out
}

/** Inserts or replaces secrets (sealed), `updated_at` = now. */
export async function saveSealed(
  db: Db,
  secrets: readonly { name: string; sealed: string }[],
  now: number,
): Promise<void> {
  for (const chunk of chunked(secrets, 500)) {
    const values = chunk.map((s) => sql`(${s.name}, ${s.sealed}, ${now}, ${now})`)
    await sql`INSERT INTO secret_variables (name, value, created_at, updated_at)
      VALUES ${sql.join(values)}
      ${upsertSuffix(db, ['name'], ['value', 'updated_at'])}`.execute(db)
  }
}
