import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKysely } from '../platform/db/index.js'
import { createEmptyDatabase, DIALECTS } from '../test-utils/databases.js'
import type { Database } from './database.js'
import { MIGRATIONS } from './migrations/index.js'

const NAME = '20261207235000_activity_hosts'

describe.each(DIALECTS)(`migration ${NAME} [%s]`, (dialect) => {
  let db: Kysely<Database>
  let drop: () => Promise<void>
  beforeAll(async () => {
    const empty = await createEmptyDatabase(dialect)
    db = createKysely<Database>(empty.target)
    drop = async () => {
      await db.destroy()
      await empty.drop()
    }
    // Every migration before this one, then activities as they were recorded before it.
    for (const [name, migration] of Object.entries(MIGRATIONS)) {
      if (name === NAME) {
        break
      }
      await migration.up(db as unknown as Kysely<unknown>)
    }
  })
  afterAll(() => drop())

  it('links the activities recorded before it to the hosts their details name', async () => {
    const details = [
      { host_id: 7, host_display_name: 'a' },
      { host_ids: [7, 8, 'x', -1], team_id: 1 },
      { team_id: 1 },
      null,
      { host_id: 9, host_ids: [9] },
    ]
    for (const [i, d] of details.entries()) {
      await db
        .insertInto('activities')
        .values({
          created_at: i,
          user_id: null,
          user_name: null,
          user_email: null,
          activity_type: 'test',
          details: d === null ? null : JSON.stringify(d),
          fleet_initiated: 0,
        })
        .execute()
    }
    const migration = MIGRATIONS[NAME]
    if (!migration) {
      throw new Error(`${NAME} is not registered`)
    }
    await migration.up(db as unknown as Kysely<unknown>)
    const links = await db
      .selectFrom('activity_hosts')
      .innerJoin('activities', 'activities.id', 'activity_hosts.activity_id')
      .select(['activity_hosts.host_id', 'activities.created_at'])
      .orderBy('activities.created_at')
      .orderBy('activity_hosts.host_id')
      .execute()
    expect(links.map((l) => [Number(l.created_at), l.host_id])).toEqual([
      [0, 7],
      [1, 7],
      [1, 8],
      [4, 9],
    ])
  })
})
