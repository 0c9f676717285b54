import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmptyDatabase, DIALECTS } from '../../test-utils/databases.js'
import { createKysely } from './create-db.js'
import { isRetryableConflict, transactionWithRetry } from './retry.js'

/** Resolves once `count` parties have arrived (a one-shot barrier). */
function barrier(count: number): () => Promise<void> {
  let arrived = 0
  let open: () => void = () => {}
  const opened = new Promise<void>((resolve) => (open = resolve))
  return () => {
    arrived++
    if (arrived === count) {
      open()
    }
    return opened
  }
}

const SERVER_DIALECTS = DIALECTS.filter((d) => d !== 'sqlite')

describe.each(SERVER_DIALECTS)('transactionWithRetry [%s]', (dialect) => {
  let db: Kysely<Record<string, never>>
  let drop: () => Promise<void>

  beforeAll(async () => {
    const empty = await createEmptyDatabase(dialect)
    db = createKysely(empty.target)
    drop = empty.drop
    await sql`create table pairs (id integer primary key, v integer not null)`.execute(db)
    await sql`insert into pairs (id, v) values (1, 0), (2, 0)`.execute(db)
  })
  afterAll(async () => {
    await db.destroy()
    await drop()
  })

  it('runs a transaction the database aborted for a deadlock again, so both writers succeed', async () => {
    const bothHoldOneRow = barrier(2)
    const attempts = { a: 0, b: 0 }
    const writer = (name: 'a' | 'b', first: number, second: number) =>
      transactionWithRetry(db, async (trx) => {
        attempts[name]++
        await sql`update pairs set v = v + 1 where id = ${first}`.execute(trx)
        if (attempts[name] === 1) {
          await bothHoldOneRow() // each holds one row and now wants the other's: a deadlock
        }
        await sql`update pairs set v = v + 1 where id = ${second}`.execute(trx)
      })
    await Promise.all([writer('a', 1, 2), writer('b', 2, 1)])
    expect(attempts.a + attempts.b).toBe(3)
    const rows = await sql<{ v: number }>`select v from pairs order by id`.execute(db)
    expect(rows.rows.map((r) => Number(r.v))).toEqual([2, 2])
  })

  it('passes other errors through at once', async () => {
    let attempts = 0
    await expect(
      transactionWithRetry(db, async (trx) => {
        attempts++
        await sql`select * from no_such_table`.execute(trx)
      }),
    ).rejects.toThrow()
    expect(attempts).toBe(1)
  })
})

describe('isRetryableConflict', () => {
  it("knows MySQL's and PostgreSQL's deadlock and serialization errors", () => {
    expect(isRetryableConflict({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })).toBe(true)
    expect(isRetryableConflict({ code: '40P01' })).toBe(true)
    expect(isRetryableConflict({ code: '40001' })).toBe(true)
    expect(isRetryableConflict({ code: 'ER_DUP_ENTRY', errno: 1062 })).toBe(false)
    expect(isRetryableConflict(new Error('x'))).toBe(false)
  })
})
