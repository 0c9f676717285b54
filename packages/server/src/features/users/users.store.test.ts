import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/database.js'
import { isUniqueViolation } from '../../platform/db/index.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { buildUser, FACTORY_NOW as NOW } from '../../test-utils/factories.js'
import {
  countUsers,
  deleteUser,
  emailTaken,
  findUser,
  findUserWithHashByEmail,
  insertUser,
  passwordHashOf,
  updateUser,
} from './users.store.js'

// Team memberships: users-teams.store.test.ts; listing: users-list.store.test.ts.
describe.each(DIALECTS)('users store [%s]', (dialect) => {
  let t: TestDatabase
  let db: Db
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    db = t.db
  })
  afterAll(() => t.drop())

  it('inserts a user and finds it by id and by email, with its hash', async () => {
    const id = await insertUser(db, {
      name: 'Ada Admin',
      email: 'ada@example.com',
      passwordHash: 'scrypt$hash',
      globalRole: 'admin',
      apiOnly: true,
      forcePasswordReset: false,
      ssoEnabled: true,
      now: NOW,
    })
    expect(await findUser(db, id)).toEqual({
      id,
      createdAt: NOW,
      updatedAt: NOW,
      name: 'Ada Admin',
      email: 'ada@example.com',
      globalRole: 'admin',
      apiOnly: true,
      forcePasswordReset: false,
      ssoEnabled: true,
      position: '',
      teams: [],
    })
    const withHash = await findUserWithHashByEmail(db, 'ada@example.com')
    expect(withHash?.user.id).toBe(id)
    expect(withHash?.passwordHash).toBe('scrypt$hash')
    expect(await passwordHashOf(db, id)).toBe('scrypt$hash')
  })

  it('returns undefined for unknown users', async () => {
    expect(await findUser(db, 987_654)).toBeUndefined()
    expect(await findUserWithHashByEmail(db, 'nobody@example.com')).toBeUndefined()
    expect(await passwordHashOf(db, 987_654)).toBeUndefined()
  })

  it('refuses a duplicate email with a unique violation', async () => {
    const first = await buildUser(db)
    const err: unknown = await buildUser(db, { email: first.email }).catch((e: unknown) => e)
    expect(isUniqueViolation(err)).toBe(true)
  })

  it('updates only the given fields and the update time', async () => {
    const { id } = await buildUser(db, {
      name: 'Before',
      email: 'update@example.com',
      globalRole: 'admin',
    })
    const later = NOW + 90_000
    await updateUser(
      db,
      id,
      {
        name: 'After',
        globalRole: null,
        forcePasswordReset: true,
        position: 'CISO',
        passwordHash: 'scrypt$new',
      },
      later,
    )
    expect(await findUser(db, id)).toMatchObject({
      id,
      createdAt: NOW,
      updatedAt: later,
      name: 'After',
      email: 'update@example.com',
      globalRole: null,
      apiOnly: false,
      forcePasswordReset: true,
      ssoEnabled: false,
      position: 'CISO',
    })
    expect(await passwordHashOf(db, id)).toBe('scrypt$new')

    await updateUser(
      db,
      id,
      { email: 'moved@example.com', apiOnly: true, ssoEnabled: true },
      later + 1,
    )
    expect(await findUser(db, id)).toMatchObject({
      name: 'After',
      email: 'moved@example.com',
      apiOnly: true,
      ssoEnabled: true,
      updatedAt: later + 1,
    })
  })

  it('deletes a user', async () => {
    const { id } = await buildUser(db)
    const before = await countUsers(db)
    await deleteUser(db, id)
    expect(await findUser(db, id)).toBeUndefined()
    expect(await countUsers(db)).toBe(before - 1)
  })

  it('counts users as a number', async () => {
    const before = await countUsers(db)
    expect(typeof before).toBe('number')
    await buildUser(db)
    await buildUser(db)
    expect(await countUsers(db)).toBe(before + 2)
  })

  it('tells whether an email is taken, except by a given user', async () => {
    const alice = await buildUser(db, { email: 'alice@example.com' })
    const bob = await buildUser(db, { email: 'bob@example.com' })
    expect(await emailTaken(db, 'alice@example.com')).toBe(true)
    expect(await emailTaken(db, 'alice@example.com', alice.id)).toBe(false)
    expect(await emailTaken(db, 'alice@example.com', bob.id)).toBe(true)
    expect(await emailTaken(db, 'carol@example.com')).toBe(false)
  })
})
