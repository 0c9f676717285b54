import { Migrator, type Kysely, type MigrationResult } from 'kysely'
import { MIGRATIONS } from './migrations/index.js'

function migrator<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
    migrationTableName: 'migration_status',
    migrationLockTableName: 'migration_status_lock',
  })
}

/** Names of migrations not yet applied to this database. */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const migrations = await migrator(db).getMigrations()
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name)
}

/**
 * Applies every pending migration (under Kysely's migration lock, so concurrent instances are
 * safe). Returns what ran; throws with the failing migration's name.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationResult[]> {
  const { error, results = [] } = await migrator(db).migrateToLatest()
  if (error) {
    const failed = results.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error })
  }
  return results
}
