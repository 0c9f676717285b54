import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/database.js'
import { isUniqueViolation } from '../../platform/db/index.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { buildUser } from '../../test-utils/factories.js'
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
/** A token hash no other test uses. */
let hashes = 0
const newHash = () => (++hashes).toString(16).padStart(64, '0')

// Each test builds the users it needs (two users: alice and bob) and fresh token hashes.

describe.each(DIALECTS)('sessions store [%s]', (dialect) => {
  let t: TestDatabase
  let db: Db
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    db = t.db
  })
  afterAll(() => t.drop())

  const users = async () => ({ alice: (await buildUser(db)).id, bob: (await buildUser(db)).id })

  it('inserts a session and finds it by id and by token hash', async () => {
    const { alice } = await users()
    const token = newHash()
    const id = await insertSession(db, alice, token, NOW)
    const expected = { id, userId: alice, createdAt: NOW, accessedAt: NOW }
    expect(await findSession(db, id)).toEqual(expected)
    expect(await findSessionByTokenHash(db, token)).toEqual(expected)
  })

  it('returns undefined for unknown sessions', async () => {
    expect(await findSession(db, 987_654)).toBeUndefined()
    expect(await findSessionByTokenHash(db, 'f'.repeat(64))).toBeUndefined()
  })

  it('refuses a duplicate token hash', async () => {
    const { alice, bob } = await users()
    const token = newHash()
    await insertSession(db, alice, token, NOW)
    const err: unknown = await insertSession(db, bob, token, NOW).catch((e: unknown) => e)
    expect(isUniqueViolation(err)).toBe(true)
  })

  it('touches accessed_at only', async () => {
    const { alice } = await users()
    const id = await insertSession(db, alice, newHash(), NOW)
    await touchSession(db, id, NOW + 61_000)
    expect(await findSession(db, id)).toEqual({
      id,
      userId: alice,
      createdAt: NOW,
      accessedAt: NOW + 61_000,
    })
  })

  it('lists a user’s sessions in id order', async () => {
    const { alice, bob } = await users()
    await insertSession(db, alice, newHash(), NOW)
    await insertSession(db, alice, newHash(), NOW + 61_000)
    const third = await insertSession(db, alice, newHash(), NOW + 5)
    await insertSession(db, bob, newHash(), NOW)
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
    const { bob } = await users()
    const id = await insertSession(db, bob, newHash(), NOW)
    await deleteSession(db, id)
    expect(await findSession(db, id)).toBeUndefined()
    expect((await listSessionsOfUser(db, bob)).map((s) => s.id)).not.toContain(id)
  })

  it('deletes a user’s sessions except the given one, leaving other users’ alone', async () => {
    const { alice, bob } = await users()
    await insertSession(db, alice, newHash(), NOW)
    const kept = await insertSession(db, alice, newHash(), NOW)
    await insertSession(db, alice, newHash(), NOW)
    await insertSession(db, bob, newHash(), NOW)
    const bobsBefore = await listSessionsOfUser(db, bob)
    expect(bobsBefore).toHaveLength(1)
    await deleteSessionsOfUser(db, alice, kept)
    expect((await listSessionsOfUser(db, alice)).map((s) => s.id)).toEqual([kept])
    expect(await listSessionsOfUser(db, bob)).toEqual(bobsBefore)
  })

  it('deletes all of a user’s sessions without an exception', async () => {
    const { alice, bob } = await users()
    await insertSession(db, alice, newHash(), NOW)
    await insertSession(db, alice, newHash(), NOW)
    await insertSession(db, bob, newHash(), NOW)
    await deleteSessionsOfUser(db, alice)
    expect(await listSessionsOfUser(db, alice)).toEqual([])
    expect(await listSessionsOfUser(db, bob)).toHaveLength(1)
  })

  it('drops sessions with their user', async () => {
    const { bob } = await users()
    const id = await insertSession(db, bob, newHash(), NOW)
    await db.deleteFrom('users').where('id', '=', bob).execute()
    expect(await findSession(db, id)).toBeUndefined()
    expect(await listSessionsOfUser(db, bob)).toEqual([])
  })
})
