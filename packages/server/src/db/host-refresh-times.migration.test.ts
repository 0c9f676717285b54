import { Migrator, sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKysely } from '../platform/db/index.js'
import { createEmptyDatabase, DIALECTS } from '../test-utils/databases.js'
import { MIGRATIONS } from './migrations/index.js'

const MIGRATION = '20261207010000_host_refresh_times'

describe.each(DIALECTS)(`migration ${MIGRATION} [%s]`, (dialect) => {
  let db: Kysely<unknown>
  let drop: () => Promise<void>
  const migrator = () =>
    new Migrator({
      db,
      provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
      migrationTableName: 'migration_status',
      migrationLockTableName: 'migration_status_lock',
    })
  const previous = Object.keys(MIGRATIONS)
    .sort()
    .filter((name) => name < MIGRATION)
    .at(-1)

  beforeAll(async () => {
    const empty = await createEmptyDatabase(dialect)
    db = createKysely<unknown>(empty.target)
    drop = async () => {
      await db.destroy()
      await empty.drop()
    }
  })
  afterAll(() => drop())

  it("moves hosts' label and policy times to host_refresh_times, and back down", async () => {
    expect(previous).toBeDefined()
    expect((await migrator().migrateTo(previous ?? '')).error).toBeUndefined()
    const columns = '(created_at, updated_at, team_id, label_updated_at, policy_updated_at)'
    await sql`INSERT INTO hosts ${sql.raw(columns)} VALUES (1, 1, NULL, 5000, 0), (1, 1, NULL, 0, 7000)`.execute(
      db,
    )
    const ids = (await sql<{ id: number }>`SELECT id FROM hosts ORDER BY id`.execute(db)).rows.map(
      (r) => Number(r.id),
    )
    expect((await migrator().migrateTo(MIGRATION)).error).toBeUndefined()
    const moved = await sql<Record<string, unknown>>`SELECT host_id, provider, asked_since,
      refreshed_at FROM host_refresh_times ORDER BY host_id, provider`.execute(db)
    expect(moved.rows.map((r) => Object.values(r).map((v) => String(v)))).toEqual([
      [String(ids[0]), 'labels', '5000', '5000'],
      [String(ids[1]), 'policies', '7000', '7000'],
    ])

    expect((await migrator().migrateTo(previous ?? '')).error).toBeUndefined()
    const back = await sql<Record<string, unknown>>`SELECT label_updated_at, policy_updated_at
      FROM hosts ORDER BY id`.execute(db)
    expect(back.rows.map((r) => Object.values(r).map((v) => String(v)))).toEqual([
      ['5000', '0'],
      ['0', '7000'],
    ])
  })
})
