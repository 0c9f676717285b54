import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/database.js'
import { insertReturningId, isUniqueViolation } from '../../platform/db/index.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import {
  deleteSession,
  deleteSessionsOfUser,
  findSession,
  findSessionByTokenHash,
  insertSession,
  listSessionsOfUser,
  touchSession,
} from './sessions.store.js'

const NOW = Date.parse('2030-01-01T00:00:00Z')
const hash = (n: number) => n.toString(16).padStart(64, '0')

describe.each(DIALECTS)('sessions store [%s]', (dialect) => {
  let t: TestDatabase
  let db: Db
  let alice: number
  let bob: number
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    db = t.db
    const user = (email: string) =>
      insertReturningId(
        db,
        db.insertInto('users').values({
          created_at: NOW,
          updated_at: NOW,
          name: email,
          email,
          password_hash: 'x',
          global_role: 'admin',
          api_only: 0,
          force_password_reset: 0,
          sso_enabled: 0,
          position: '',
        }),
      )
    alice = await user('alice@example.com')
    bob = await user('bob@example.com')
  })
  afterAll(() => t.drop())

  it('inserts a session and finds it by id and by token hash', async () => {
    const id = await insertSession(db, alice, hash(1), NOW)
    const expected = { id, userId: alice, createdAt: NOW, accessedAt: NOW }
    expect(await findSession(db, id)).toEqual(expected)
    expect(await findSessionByTokenHash(db, hash(1))).toEqual(expected)
  })

  it('returns undefined for unknown sessions', async () => {
    expect(await findSession(db, 987_654)).toBeUndefined()
    expect(await findSessionByTokenHash(db, hash(999))).toBeUndefined()
  })

  it('refuses a duplicate token hash', async () => {
    const err: unknown = await insertSession(db, bob, hash(1), NOW).catch((e: unknown) => e)
    expect(isUniqueViolation(err)).toBe(true)
  })

  it('touches accessed_at only', async () => {
    const id = await insertSession(db, alice, hash(2), NOW)
    await touchSession(db, id, NOW + 61_000)
    expect(await findSession(db, id)).toEqual({
      id,
      userId: alice,
      createdAt: NOW,
      accessedAt: NOW + 61_000,
    })
  })

  it('lists a user’s sessions in id order', async () => {
    const third = await insertSession(db, alice, hash(3), NOW + 5)
    await insertSession(db, bob, hash(4), NOW)
    const sessions = await listSessionsOfUser(db, alice)
    expect(sessions.map((s) => s.id)).toEqual([...sessions.map((s) => s.id)].sort((a, b) => a - b))
    expect(sessions).toHaveLength(3)
    expect(sessions.every((s) => s.userId === alice)).toBe(true)
    expect(sessions[2]).toEqual({
      id: third,
      userId: alice,
      createdAt: NOW + 5,
      accessedAt: NOW + 5,
    })
    expect(await listSessionsOfUser(db, 987_654)).toEqual([])
  })

  it('deletes one session', async () => {
    const id = await insertSession(db, bob, hash(5), NOW)
    await deleteSession(db, id)
    expect(await findSession(db, id)).toBeUndefined()
    expect((await listSessionsOfUser(db, bob)).map((s) => s.id)).not.toContain(id)
  })

  it('deletes a user’s sessions except the given one, leaving other users’ alone', async () => {
    const kept = (await findSessionByTokenHash(db, hash(2)))!.id
    const bobsBefore = await listSessionsOfUser(db, bob)
    expect(bobsBefore).toHaveLength(1)
    await deleteSessionsOfUser(db, alice, kept)
    expect((await listSessionsOfUser(db, alice)).map((s) => s.id)).toEqual([kept])
    expect(await listSessionsOfUser(db, bob)).toEqual(bobsBefore)
  })

  it('deletes all of a user’s sessions without an exception', async () => {
    await insertSession(db, alice, hash(6), NOW)
    await deleteSessionsOfUser(db, alice)
    expect(await listSessionsOfUser(db, alice)).toEqual([])
    expect(await listSessionsOfUser(db, bob)).toHaveLength(1)
  })

  it('drops sessions with their user', async () => {
    const id = await insertSession(db, bob, hash(7), NOW)
    await db.deleteFrom('users').where('id', '=', bob).execute()
    expect(await findSession(db, id)).toBeUndefined()
    expect(await listSessionsOfUser(db, bob)).toEqual([])
  })
})
