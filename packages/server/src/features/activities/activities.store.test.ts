import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/database.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import {
  deleteActivitiesBefore,
  insertActivity,
  listActivities,
  listHostActivities,
  type ActivityFilter,
} from './activities.store.js'

const NOW = Date.parse('2030-01-01T00:00:00Z')

describe.each(DIALECTS)('activities store [%s]', (dialect) => {
  let t: TestDatabase
  let db: Db
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    db = t.db
  })
  afterAll(() => t.drop())

  const base: ActivityFilter = { orderKey: 'id', direction: 'asc', offset: 0, limit: 100 }

  it('stores an activity and lists it back, details included', async () => {
    await insertActivity(db, {
      createdAt: NOW,
      actorId: 7,
      actorName: 'Ada',
      actorEmail: 'ada@example.com',
      type: 'created_team',
      details: { team_id: 3, team_name: 'Servers', nested: { list: [1, 'two', null, true] } },
      fleetInitiated: false,
    })
    // The newest activity: other tests may have stored theirs before.
    const [activity] = await listActivities(db, { ...base, direction: 'desc', limit: 1 })
    expect(activity).toEqual({
      id: expect.any(Number) as number,
      createdAt: NOW,
      actorId: 7,
      actorName: 'Ada',
      actorEmail: 'ada@example.com',
      type: 'created_team',
      details: { team_id: 3, team_name: 'Servers', nested: { list: [1, 'two', null, true] } },
      fleetInitiated: false,
    })
  })

  it("links an activity to its hosts, lists a host's newest first, and expires the links", async () => {
    const OLD = NOW - 10_000_000
    const row = (createdAt: number, type: string) => ({
      createdAt,
      actorId: null,
      actorName: null,
      actorEmail: null,
      type,
      details: {},
      fleetInitiated: true,
    })
    const first = await insertActivity(db, row(OLD, 'host_old'), [9001])
    await insertActivity(db, row(OLD + 1, 'host_pair'), [9001, 9002])
    await insertActivity(db, row(OLD + 2, 'unrelated'))
    const types = async (hostId: number) =>
      (await listHostActivities(db, hostId, { offset: 0 })).map((a) => a.type)
    expect(await types(9001)).toEqual(['host_pair', 'host_old'])
    expect(await types(9002)).toEqual(['host_pair'])
    expect((await listHostActivities(db, 9001, { offset: 1, limit: 5 })).map((a) => a.id)).toEqual([
      first,
    ])

    expect(await deleteActivitiesBefore(db, OLD + 1, 10)).toBe(1)
    expect(await types(9001)).toEqual(['host_pair'])
    const links = await db
      .selectFrom('activity_hosts')
      .select('host_id')
      .where('activity_id', '=', first)
      .execute()
    expect(links).toEqual([])
  })

  it('stores a fleet-initiated activity without an actor', async () => {
    await insertActivity(db, {
      createdAt: NOW + 1000,
      actorId: null,
      actorName: null,
      actorEmail: null,
      type: 'ran_script',
      details: {},
      fleetInitiated: true,
    })
    const activities = await listActivities(db, { ...base, type: 'ran_script' })
    expect(activities).toEqual([
      {
        id: expect.any(Number) as number,
        createdAt: NOW + 1000,
        actorId: null,
        actorName: null,
        actorEmail: null,
        type: 'ran_script',
        details: {},
        fleetInitiated: true,
      },
    ])
  })

  it('round-trips unicode, quotes and backslashes in details', async () => {
    const details = {
      team_name: 'Équipe 東京 🚀',
      quote: `it's "quoted" \\ back\\slash`,
      newline: 'a\nb\tc',
      emoji: '👩🏽‍💻',
    }
    await insertActivity(db, {
      createdAt: NOW + 2000,
      actorId: 8,
      actorName: 'Zoë Ünal',
      actorEmail: 'zoe@example.com',
      type: 'edited_team',
      details,
      fleetInitiated: false,
    })
    const [activity] = await listActivities(db, { ...base, type: 'edited_team' })
    expect(activity?.details).toEqual(details)
    expect(activity?.actorName).toBe('Zoë Ünal')
  })

  it('round-trips large details (over 64 KiB)', async () => {
    const big = 'x'.repeat(70_000)
    await insertActivity(db, {
      createdAt: NOW + 3000,
      actorId: 8,
      actorName: 'Zoë Ünal',
      actorEmail: 'zoe@example.com',
      type: 'applied_spec_team',
      details: { big },
      fleetInitiated: false,
    })
    const [activity] = await listActivities(db, { ...base, type: 'applied_spec_team' })
    expect(activity?.details).toEqual({ big })
  })

  describe('listing', () => {
    // Types and times chosen so id, created_at and type orders all differ.
    const rows = [
      { type: 'b_type', at: NOW + 30 },
      { type: 'a_type', at: NOW + 10 },
      { type: 'c_type', at: NOW + 20 },
      { type: 'a_type', at: NOW + 40 },
      { type: 'b_type', at: NOW + 5 },
    ]
    let first = 0
    beforeAll(async () => {
      await db.deleteFrom('activities').execute()
      for (const [index, row] of rows.entries()) {
        await insertActivity(db, {
          createdAt: row.at,
          actorId: 1,
          actorName: 'A',
          actorEmail: 'a@example.com',
          type: row.type,
          details: { n: index },
          fleetInitiated: false,
        })
      }
      first = (await listActivities(db, { ...base, limit: 1 }))[0]!.id
    })

    async function ns(filter: Partial<ActivityFilter>): Promise<number[]> {
      return (await listActivities(db, { ...base, ...filter })).map((a) => a.details?.n as number)
    }

    it('assigns increasing ids', async () => {
      const ids = (await listActivities(db, base)).map((a) => a.id)
      expect(ids).toHaveLength(5)
      expect(ids[0]).toBe(first)
      for (let i = 1; i < ids.length; i++) {
        expect(ids[i]).toBeGreaterThan(ids[i - 1]!)
      }
    })

    it('orders by id, created_at or type, ties broken by id in the same direction', async () => {
      expect(await ns({})).toEqual([0, 1, 2, 3, 4])
      expect(await ns({ direction: 'desc' })).toEqual([4, 3, 2, 1, 0])
      expect(await ns({ orderKey: 'created_at' })).toEqual([4, 1, 2, 0, 3])
      expect(await ns({ orderKey: 'created_at', direction: 'desc' })).toEqual([3, 0, 2, 1, 4])
      expect(await ns({ orderKey: 'type' })).toEqual([1, 3, 0, 4, 2])
      expect(await ns({ orderKey: 'type', direction: 'desc' })).toEqual([2, 4, 0, 3, 1])
    })

    it('filters by type', async () => {
      expect(await ns({ type: 'a_type' })).toEqual([1, 3])
      expect(await ns({ type: 'b_type', orderKey: 'created_at' })).toEqual([4, 0])
      expect(await ns({ type: 'no_such_type' })).toEqual([])
    })

    it('pages with limit and offset', async () => {
      expect(await ns({ limit: 2, offset: 0 })).toEqual([0, 1])
      expect(await ns({ limit: 2, offset: 2 })).toEqual([2, 3])
      expect(await ns({ limit: 2, offset: 4 })).toEqual([4])
      expect(await ns({ limit: 2, offset: 6 })).toEqual([])
      expect(await ns({ orderKey: 'created_at', direction: 'desc', limit: 3, offset: 1 })).toEqual([
        0, 2, 1,
      ])
      expect(await ns({ type: 'a_type', limit: 1, offset: 1 })).toEqual([3])
    })
  })
})
