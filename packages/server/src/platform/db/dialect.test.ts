import { sql, type Insertable } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UsersTable } from '../../features/users/users.table.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import {
  dialectOf,
  insertReturningId,
  isUniqueViolation,
  likeContains,
  lowerContains,
  lowerEquals,
} from './dialect.js'

const NOW = Date.parse('2030-01-01T00:00:00Z')

describe.each(DIALECTS)('dialect helpers [%s]', (dialect) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
  })
  afterAll(() => t.drop())

  function teamValues(name: string, createdAt = NOW) {
    return { name, created_at: createdAt, description: '', agent_options: null, settings: '{}' }
  }

  async function insertTeam(name: string, createdAt = NOW): Promise<number> {
    return insertReturningId(t.db, t.db.insertInto('teams').values(teamValues(name, createdAt)))
  }

  function userValues(email: string): Insertable<UsersTable> {
    return {
      created_at: NOW,
      updated_at: NOW,
      name: 'User',
      email,
      password_hash: 'hash',
      global_role: 'admin',
      api_only: 0,
      force_password_reset: 0,
      sso_enabled: 0,
      position: '',
    }
  }

  async function caught(run: () => Promise<unknown>): Promise<unknown> {
    try {
      await run()
    } catch (err) {
      return err
    }
    throw new Error('expected the query to fail')
  }

  it('dialectOf names the dialect, for the database and inside a transaction', async () => {
    expect(dialectOf(t.db)).toBe(dialect)
    const inner = await t.db.transaction().execute(async (trx) => Promise.resolve(dialectOf(trx)))
    expect(inner).toBe(dialect)
  })

  it('insertReturningId returns the new rows’ increasing numeric ids', async () => {
    const a = await insertTeam('ids-a')
    const b = await insertTeam('ids-b')
    const c = await insertReturningId(
      t.db,
      t.db.insertInto('users').values(userValues('ids@example.com')),
    )
    expect(typeof a).toBe('number')
    expect(b).toBeGreaterThan(a)
    const rows = await t.db
      .selectFrom('teams')
      .select(['id', 'name'])
      .where('id', 'in', [a, b])
      .orderBy('id')
      .execute()
    expect(rows).toEqual([
      { id: a, name: 'ids-a' },
      { id: b, name: 'ids-b' },
    ])
    const user = await t.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', c)
      .executeTakeFirst()
    expect(user).toEqual({ email: 'ids@example.com' })
  })

  it('isUniqueViolation is true for a duplicate team name', async () => {
    await insertTeam('unique-team')
    const err = await caught(() => insertTeam('unique-team'))
    expect(isUniqueViolation(err)).toBe(true)
  })

  it('isUniqueViolation is true for a duplicate user email', async () => {
    await t.db.insertInto('users').values(userValues('dup@example.com')).execute()
    const err = await caught(() =>
      t.db.insertInto('users').values(userValues('dup@example.com')).execute(),
    )
    expect(isUniqueViolation(err)).toBe(true)
  })

  it('isUniqueViolation is true for a duplicate primary key', async () => {
    const row = { secret: 'pk-secret', team_id: null, created_at: NOW }
    await t.db.insertInto('enroll_secrets').values(row).execute()
    const err = await caught(() => t.db.insertInto('enroll_secrets').values(row).execute())
    expect(isUniqueViolation(err)).toBe(true)
  })

  it('isUniqueViolation is false for other errors', async () => {
    const foreignKey = await caught(() =>
      t.db
        .insertInto('user_teams')
        .values({ user_id: 999_999, team_id: 999_999, role: 'observer' })
        .execute(),
    )
    expect(isUniqueViolation(foreignKey)).toBe(false)
    const notNull = await caught(() =>
      t.db
        .insertInto('teams')
        .values({ ...teamValues('not-null'), description: null as unknown as string })
        .execute(),
    )
    expect(isUniqueViolation(notNull)).toBe(false)
    const syntax = await caught(() => sql`selec 1`.execute(t.db))
    expect(isUniqueViolation(syntax)).toBe(false)
    expect(isUniqueViolation(new Error('duplicate'))).toBe(false)
    expect(isUniqueViolation(undefined)).toBe(false)
    expect(isUniqueViolation('ER_DUP_ENTRY')).toBe(false)
  })

  it('likeContains escapes %, _ and backslash', () => {
    expect(likeContains('50%')).toBe('%50\\%%')
    expect(likeContains('a_b')).toBe('%a\\_b%')
    expect(likeContains('c:\\x')).toBe('%c:\\\\x%')
    expect(likeContains('plain')).toBe('%plain%')
  })

  describe('lowerContains', () => {
    beforeAll(async () => {
      for (const name of ['Like 50% off', 'Like 500 seats', 'Like a_b', 'Like axb', 'Like C:\\x']) {
        await insertTeam(name)
      }
    })

    async function search(text: string): Promise<string[]> {
      const rows = await t.db
        .selectFrom('teams')
        .select('name')
        .where('name', 'like', 'Like %')
        .where((eb) => lowerContains(eb.ref('name'), text))
        .orderBy('id')
        .execute()
      return rows.map((r) => r.name)
    }

    it('matches % literally: 50% does not match 500', async () => {
      expect(await search('50%')).toEqual(['Like 50% off'])
      expect(await search('50')).toEqual(['Like 50% off', 'Like 500 seats'])
    })

    it('matches _ and backslash literally', async () => {
      expect(await search('a_b')).toEqual(['Like a_b'])
      expect(await search('c:\\x')).toEqual(['Like C:\\x'])
    })

    it('ignores case', async () => {
      expect(await search('LIKE AXB')).toEqual(['Like axb'])
    })
  })

  it('lowerEquals matches case-insensitively and exactly', async () => {
    await insertTeam('Mixed Case Team')
    const find = async (value: string) =>
      (
        await t.db
          .selectFrom('teams')
          .select('name')
          .where((eb) => lowerEquals(eb.ref('name'), value))
          .execute()
      ).map((r) => r.name)
    expect(await find('mixed case team')).toEqual(['Mixed Case Team'])
    expect(await find('MIXED CASE TEAM')).toEqual(['Mixed Case Team'])
    expect(await find('Mixed Case')).toEqual([])
    // Non-ASCII letters: the exact name always matches, and ASCII letters fold around them
    // (SQLite's lower() folds ASCII only, so 'é' vs 'É' is not compared on every dialect).
    await insertTeam('Équipe Zoé')
    expect(await find('Équipe Zoé')).toEqual(['Équipe Zoé'])
    expect(await find('ÉQUIPE ZOé')).toEqual(['Équipe Zoé'])
  })

  it('round-trips large millisecond timestamps exactly, as numbers', async () => {
    const big = Number.MAX_SAFE_INTEGER
    const a = await insertTeam('time-2030', NOW)
    const b = await insertTeam('time-max', big)
    const rows = await t.db
      .selectFrom('teams')
      .select(['id', 'created_at'])
      .where('id', 'in', [a, b])
      .orderBy('id')
      .execute()
    expect(rows).toEqual([
      { id: a, created_at: 1_893_456_000_000 },
      { id: b, created_at: big },
    ])
    expect(typeof rows[0]?.created_at).toBe('number')
    const filtered = await t.db
      .selectFrom('teams')
      .select('name')
      .where('created_at', '>', NOW)
      .where('id', 'in', [a, b])
      .execute()
    expect(filtered).toEqual([{ name: 'time-max' }])
  })

  it('returns count(*) and max(bigint) as numbers', async () => {
    await insertTeam('count-2030', NOW)
    await insertTeam('count-max', Number.MAX_SAFE_INTEGER)
    const row = await t.db
      .selectFrom('teams')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.max<number>('created_at').as('latest'),
      ])
      .where('name', 'like', 'count-%')
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ n: 2, latest: Number.MAX_SAFE_INTEGER })
  })

  it('stores booleans as integers 0/1', async () => {
    await t.db
      .insertInto('users')
      .values({ ...userValues('flags@example.com'), api_only: 1 })
      .execute()
    const row = await t.db
      .selectFrom('users')
      .select(['api_only', 'sso_enabled'])
      .where('email', '=', 'flags@example.com')
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ api_only: 1, sso_enabled: 0 })
  })
})
