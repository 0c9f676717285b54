import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/database.js'
import { isUniqueViolation } from '../../platform/db/index.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { buildTeam } from '../../test-utils/factories.js'
import {
  listSecrets,
  replaceSecrets,
  secretsByTeam,
  secretsTakenElsewhere,
} from './enroll-secrets.store.js'

const T1 = Date.parse('2030-01-01T00:00:00Z')
const T2 = T1 + 60_000
const T3 = T1 + 120_000

// Each test builds its teams and names its secrets after them; the tests of the global scope
// (shared by all) first empty it.
describe.each(DIALECTS)('enroll secrets store [%s]', (dialect) => {
  let t: TestDatabase
  let db: Db
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    db = t.db
  })
  afterAll(() => t.drop())

  /** Three new teams, and secrets `a-1`… named after them so no two tests share one. */
  async function teams() {
    const [a, b, c] = [await buildTeam(db), await buildTeam(db), await buildTeam(db)]
    const named = (team: { id: number }, letter: string) => (n: string) =>
      `${letter}${team.id}-${n}`
    return {
      teamA: a.id,
      teamB: b.id,
      teamC: c.id,
      a: named(a, 'a'),
      b: named(b, 'b'),
      c: named(c, 'c'),
    }
  }

  it('adds global secrets', async () => {
    await replaceSecrets(db, null, [], T1)
    await replaceSecrets(db, null, ['global-2', 'global-1'], T1)
    expect(await listSecrets(db, null)).toEqual([
      { secret: 'global-1', teamId: null, createdAt: T1 },
      { secret: 'global-2', teamId: null, createdAt: T1 },
    ])
  })

  it('replaces global secrets: keeps those that stay with their creation time', async () => {
    await replaceSecrets(db, null, [], T1)
    await replaceSecrets(db, null, ['global-2', 'global-1'], T1)
    await replaceSecrets(db, null, ['global-3', 'global-2'], T2)
    expect(await listSecrets(db, null)).toEqual([
      { secret: 'global-2', teamId: null, createdAt: T1 },
      { secret: 'global-3', teamId: null, createdAt: T2 },
    ])
  })

  it('keeps team scopes apart from the global scope and from each other', async () => {
    const { teamA, teamB, teamC, a, b } = await teams()
    await replaceSecrets(db, null, ['global-2', 'global-3'], T1)
    await replaceSecrets(db, teamA, [a('1'), a('2')], T1)
    await replaceSecrets(db, teamB, [b('1')], T2)
    await replaceSecrets(db, teamA, [a('2'), a('3'), a('3')], T3)
    expect(await listSecrets(db, teamA)).toEqual([
      { secret: a('2'), teamId: teamA, createdAt: T1 },
      { secret: a('3'), teamId: teamA, createdAt: T3 },
    ])
    expect(await listSecrets(db, teamB)).toEqual([{ secret: b('1'), teamId: teamB, createdAt: T2 }])
    expect((await listSecrets(db, null)).map((s) => s.secret)).toEqual(['global-2', 'global-3'])
    expect(await listSecrets(db, teamC)).toEqual([])
  })

  it('a replace with the same secrets changes nothing', async () => {
    const { teamA, a } = await teams()
    await replaceSecrets(db, teamA, [a('2')], T1)
    await replaceSecrets(db, teamA, [a('2'), a('3')], T3)
    await replaceSecrets(db, teamA, [a('3'), a('2')], T3 + 1)
    expect(await listSecrets(db, teamA)).toEqual([
      { secret: a('2'), teamId: teamA, createdAt: T1 },
      { secret: a('3'), teamId: teamA, createdAt: T3 },
    ])
  })

  it('lists by creation time, then by secret', async () => {
    const { teamC } = await teams()
    const c = (n: string) => `c${teamC}-${n}`
    await replaceSecrets(db, teamC, [c('z'), c('m')], T2)
    await replaceSecrets(db, teamC, [c('z'), c('m'), c('a')], T3)
    await replaceSecrets(db, teamC, [c('z'), c('m'), c('a'), c('y'), c('b')], T1)
    expect((await listSecrets(db, teamC)).map((s) => [s.secret, s.createdAt])).toEqual([
      [c('b'), T1],
      [c('y'), T1],
      [c('m'), T2],
      [c('z'), T2],
      [c('a'), T3],
    ])
  })

  it('refuses a secret that another scope holds, with a unique violation', async () => {
    const { teamA, teamB, a, b } = await teams()
    await replaceSecrets(db, teamA, [a('2'), a('3')], T1)
    await replaceSecrets(db, teamB, [b('1')], T1)
    const err: unknown = await replaceSecrets(db, teamB, [b('1'), a('2')], T3).catch(
      (e: unknown) => e,
    )
    expect(isUniqueViolation(err)).toBe(true)
    expect((await listSecrets(db, teamA)).map((s) => s.secret)).toEqual([a('2'), a('3')])
  })

  it('names the secrets that belong to another scope', async () => {
    const { teamA, teamB, a, b } = await teams()
    const global = `global-of-${teamA}`
    await replaceSecrets(db, null, [global], T1)
    await replaceSecrets(db, teamA, [a('2'), a('3')], T1)
    await replaceSecrets(db, teamB, [b('1')], T1)
    const fresh = `fresh-${teamA}`
    expect(await secretsTakenElsewhere(db, teamA, [a('2'), b('1'), global, fresh])).toEqual(
      expect.arrayContaining([b('1'), global]),
    )
    expect(await secretsTakenElsewhere(db, teamA, [a('2'), b('1'), global, fresh])).toHaveLength(2)
    expect((await secretsTakenElsewhere(db, null, [global, a('3'), b('1')])).sort()).toEqual(
      [a('3'), b('1')].sort(),
    )
    expect(await secretsTakenElsewhere(db, teamB, [b('1'), fresh])).toEqual([])
    expect(await secretsTakenElsewhere(db, teamB, [])).toEqual([])
  })

  it('loads several teams’ secrets at once, leaving out teams without any', async () => {
    const { teamA, teamB, teamC, a, b } = await teams()
    await replaceSecrets(db, teamA, [a('2')], T1)
    await replaceSecrets(db, teamA, [a('2'), a('3')], T3)
    await replaceSecrets(db, teamB, [b('1')], T2)
    const byTeam = await secretsByTeam(db, [teamA, teamB, teamC])
    expect([...byTeam.keys()].sort((x, y) => x - y)).toEqual([teamA, teamB].sort((x, y) => x - y))
    expect(byTeam.get(teamA)).toEqual([
      { secret: a('2'), teamId: teamA, createdAt: T1 },
      { secret: a('3'), teamId: teamA, createdAt: T3 },
    ])
    expect(byTeam.get(teamB)).toEqual([{ secret: b('1'), teamId: teamB, createdAt: T2 }])
    expect(await secretsByTeam(db, [])).toEqual(new Map())
  })

  it('removes every secret of a scope with an empty list', async () => {
    const { teamA, a } = await teams()
    await replaceSecrets(db, null, ['global-2'], T1)
    await replaceSecrets(db, teamA, [a('2'), a('3')], T1)
    await replaceSecrets(db, null, [], T3)
    expect(await listSecrets(db, null)).toEqual([])
    expect((await listSecrets(db, teamA)).map((s) => s.secret)).toEqual([a('2'), a('3')])
  })
})
