import type { Db } from '../../db/database.js'
import type { MdmAssetName } from './apple-mdm-assets.js'

/** The sealed values of the named assets that exist. */
export async function readSealedAssets(
  db: Db,
  names: readonly MdmAssetName[],
): Promise<Map<string, string>> {
  if (names.length === 0) {
    return new Map()
  }
  const rows = await db
    .selectFrom('mdm_config_assets')
    .select(['name', 'value'])
    .where('name', 'in', names)
    .execute()
  return new Map(rows.map((row) => [row.name, row.value]))
}

/** Inserts or replaces sealed assets. */
export async function writeSealedAssets(
  db: Db,
  assets: ReadonlyMap<MdmAssetName, string>,
  now: number,
): Promise<void> {
  for (const [name, value] of assets) {
    const updated = await db
      .updateTable('mdm_config_assets')
      .set({ value, updated_at: now })
      .where('name', '=', name)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) {
      await db
        .insertInto('mdm_config_assets')
        .values({ name, value, created_at: now, updated_at: now })
        .execute()
    }
  }
}

export async function deleteAssets(db: Db, names: readonly MdmAssetName[]): Promise<void> {
  await db.deleteFrom('mdm_config_assets').where('name', 'in', names).execute()
}
