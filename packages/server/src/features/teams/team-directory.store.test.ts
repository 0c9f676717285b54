import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { buildTeam, uniqueName } from '../../test-utils/factories.js'
import { teamDirectory } from './team-directory.js'

describe.each(DIALECTS)('team directory: how users reads teams [%s]', (dialect) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
  })
  afterAll(() => t.drop())

  it('finds the teams that exist among ids, and lists every team by name', async () => {
    const set = uniqueName('set')
    const zulu = await buildTeam(t.db, { name: `Zulu ${set}`, description: 'last team' })
    const alpha = await buildTeam(t.db, { name: `Alpha ${set}`, description: 'first team' })
    const found = await teamDirectory.byIds(t.db, [zulu.id, 424_242, alpha.id, zulu.id])
    expect([...found.keys()].sort()).toEqual([alpha.id, zulu.id].sort())
    expect(found.get(alpha.id)).toEqual({
      id: alpha.id,
      name: alpha.name,
      description: 'first team',
    })
    expect(await teamDirectory.byIds(t.db, [])).toEqual(new Map())
    const ours = new Set([alpha.id, zulu.id])
    expect((await teamDirectory.all(t.db)).filter((team) => ours.has(team.id))).toEqual([
      { id: alpha.id, name: alpha.name, description: 'first team' },
      { id: zulu.id, name: zulu.name, description: 'last team' },
    ])
  })
})
