import { sql, type Kysely } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createKysely } from '../platform/db/index.js'
import { createEmptyDatabase, DIALECTS } from '../test-utils/databases.js'
import type { Database } from './database.js'
import { migrateToLatest, pendingMigrations } from './migrate.js'
import { MIGRATIONS } from './migrations/index.js'

const TABLES = [
  'activities',
  'activity_hosts',
  'app_config',
  'carve_blocks',
  'carves',
  'cron_locks',
  'enroll_secrets',
  'host_device_auth',
  'host_orbit_info',
  'host_refresh_times',
  'host_users',
  'hosts',
  'label_membership',
  'labels',
  'live_query_campaigns',
  'mdm_apple_ddm_host_syncs',
  'mdm_apple_declarative_requests',
  'mdm_apple_devices',
  'mdm_config_assets',
  'mdm_scep_certificates',
  'mdm_command_results',
  'mdm_commands',
  'mdm_enrollment_queue',
  'mdm_enrollments',
  'mdm_abm_devices',
  'mdm_abm_keys',
  'mdm_abm_profiles',
  'mdm_abm_tokens',
  'mdm_apple_configuration_profiles',
  'mdm_apple_declarations',
  'mdm_profile_labels',
  'host_mdm_apple_profiles',
  'host_mdm_apple_declarations',
  'host_mdm_apple_profile_checks',
  'pack_scheduled_queries',
  'pack_targets',
  'packs',
  'policies',
  'policy_membership',
  'policy_stats',
  'policy_webhook_queue',
  'queries',
  'query_results',
  'secret_variables',
  'sessions',
  'teams',
  'user_teams',
  'users',
]

/** Every migration in name order; the first is the foundation. */
const ALL = Object.keys(MIGRATIONS).sort()

/**
 * The host search index's own tables, which differ by dialect: SQLite's FTS5 table and its shadow
 * tables, MySQL's trigram table; PostgreSQL indexes the hosts table itself (pg_trgm).
 */
const SEARCH_TABLES: Record<(typeof DIALECTS)[number], string[]> = {
  sqlite: [
    'hosts_search',
    'hosts_search_config',
    'hosts_search_data',
    'hosts_search_docsize',
    'hosts_search_idx',
  ],
  mysql: ['hosts_search_trigrams'],
  postgres: [],
}

describe.each(DIALECTS)('migrations [%s]', (dialect) => {
  let db: Kysely<Database>
  let drop: () => Promise<void>
  // Each test starts from its own empty database.
  beforeEach(async () => {
    const empty = await createEmptyDatabase(dialect)
    db = createKysely<Database>(empty.target)
    drop = async () => {
      await db.destroy()
      await empty.drop()
    }
  })
  afterEach(() => drop())

  async function tableNames(): Promise<string[]> {
    const tables = await db.introspection.getTables()
    return tables
      .map((t) => t.name)
      .filter((name) => !name.startsWith('migration_status'))
      .sort()
  }

  it('lists every migration as pending on an empty database', async () => {
    expect(await pendingMigrations(db)).toEqual(ALL)
    expect(ALL[0]).toBe('20261121000000_foundation')
    expect(await tableNames()).toEqual([])
  })

  it('applies it, then nothing is pending', async () => {
    const results = await migrateToLatest(db)
    expect(results.map((r) => [r.migrationName, r.status])).toEqual(
      ALL.map((name) => [name, 'Success']),
    )
    expect(await pendingMigrations(db)).toEqual([])
  })

  it('is a no-op when run again', async () => {
    await migrateToLatest(db)
    expect(await migrateToLatest(db)).toEqual([])
    expect(await pendingMigrations(db)).toEqual([])
  })

  it('creates every table, with the columns the stores use', async () => {
    await migrateToLatest(db)
    expect(await tableNames()).toEqual([...TABLES, ...SEARCH_TABLES[dialect]].sort())
    const tables = await db.introspection.getTables()
    const columns = (name: string) =>
      tables
        .find((t) => t.name === name)
        ?.columns.map((c) => c.name)
        .sort()
    expect(columns('users')).toEqual([
      'api_only',
      'created_at',
      'email',
      'force_password_reset',
      'global_role',
      'id',
      'name',
      'password_hash',
      'position',
      'sso_enabled',
      'updated_at',
    ])
    expect(columns('user_teams')).toEqual(['role', 'team_id', 'user_id'])
    expect(columns('enroll_secrets')).toEqual(['created_at', 'secret', 'team_id'])
  })

  it('keeps its bookkeeping in migration_status', async () => {
    await migrateToLatest(db)
    const tables = (await db.introspection.getTables()).map((t) => t.name)
    expect(tables).toEqual(expect.arrayContaining(['migration_status', 'migration_status_lock']))
    const rows = await sql<{
      name: string
    }>`select name from migration_status order by name`.execute(db)
    expect(rows.rows.map((r) => r.name)).toEqual(ALL)
  })
})
