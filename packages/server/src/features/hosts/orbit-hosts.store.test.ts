import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertReturningId, isUniqueViolation } from '../../platform/db/index.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { deleteHosts, findHost } from './hosts.store.js'
import { labelsOfHost } from '../labels/index.js'
import type { OrbitEnrollment } from './orbit-host.js'
import {
  findDeviceToken,
  findOrbitHost,
  insertOrbitHost,
  replaceDeviceToken,
  setOrbitNodeKey,
  updateOrbitCheckins,
  updateOrbitHost,
} from './orbit-hosts.store.js'

const NOW = Date.parse('2030-01-01T00:00:00Z')

function enrollment(uuid: string, overrides: Partial<OrbitEnrollment> = {}): OrbitEnrollment {
  return {
    teamId: null,
    uuid,
    osqueryHostId: uuid,
    hardwareSerial: `S-${uuid}`,
    hostname: `h-${uuid}`,
    computerName: `C-${uuid}`,
    hardwareModel: 'Model',
    platform: 'darwin',
    platformLike: 'darwin',
    now: NOW,
    ...overrides,
  }
}

async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run()
  } catch (err) {
    return err
  }
  throw new Error('expected an error')
}

describe.each(DIALECTS)('orbit hosts store [%s]', (dialect) => {
  let database: TestDatabase
  beforeEach(async () => {
    database = await createTestDatabase(dialect)
  })
  afterEach(() => database.drop())

  it('creates an orbit host and finds it by node key hash', async () => {
    const { db } = database
    const id = await insertOrbitHost(db, enrollment('U1'))
    expect(await findOrbitHost(db, 'a'.repeat(64))).toBeUndefined()
    await setOrbitNodeKey(db, id, 'a'.repeat(64), NOW)
    expect(await findOrbitHost(db, 'a'.repeat(64))).toEqual({
      id,
      teamId: null,
      platform: 'darwin',
    })
    // A second key replaces the first, in the same row.
    await setOrbitNodeKey(db, id, 'b'.repeat(64), NOW + 1)
    expect(await findOrbitHost(db, 'a'.repeat(64))).toBeUndefined()
    expect((await findOrbitHost(db, 'b'.repeat(64)))?.id).toBe(id)
    const rows = await db.selectFrom('host_orbit_info').selectAll().execute()
    expect(rows).toEqual([
      expect.objectContaining({ host_id: id, enrolled_at: NOW + 1, last_checkin_at: NOW + 1 }),
    ])
  })

  it('fills only blank fields of an existing host, and sets its team', async () => {
    const { db } = database
    const id = await insertOrbitHost(db, enrollment('U2', { hardwareSerial: '', computerName: '' }))
    const teamId = await insertReturningId(
      db,
      db.insertInto('teams').values({
        created_at: NOW,
        name: 'T',
        description: '',
        agent_options: null,
        settings: '{}',
      }),
    )
    const host = await findHost(db, id)
    if (!host) {
      throw new Error('host not stored')
    }
    await updateOrbitHost(
      db,
      host,
      enrollment('U2', { teamId, hostname: 'other', hardwareSerial: 'NEW', computerName: 'Mac' }),
    )
    expect(await findHost(db, id)).toMatchObject({
      hostname: 'h-U2',
      hardwareSerial: 'NEW',
      computerName: 'Mac',
      teamId,
    })
  })

  it('moves check-in times forward only', async () => {
    const { db } = database
    const id = await insertOrbitHost(db, enrollment('U3'))
    await setOrbitNodeKey(db, id, 'c'.repeat(64), NOW)
    await updateOrbitCheckins(db, new Map([[id, NOW + 5_500]]))
    await updateOrbitCheckins(db, new Map([[id, NOW + 2_000]]))
    const row = await db
      .selectFrom('host_orbit_info')
      .select('last_checkin_at')
      .where('host_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.last_checkin_at).toBe(NOW + 5_000)
  })

  it('keeps one device token per host, unique across hosts, gone with the host', async () => {
    const { db } = database
    const one = await insertOrbitHost(db, enrollment('U4'))
    const two = await insertOrbitHost(db, enrollment('U5'))
    await replaceDeviceToken(db, one, 'd'.repeat(64), NOW)
    await replaceDeviceToken(db, one, 'e'.repeat(64), NOW + 10)
    expect(await findDeviceToken(db, 'd'.repeat(64))).toBeUndefined()
    expect(await findDeviceToken(db, 'e'.repeat(64))).toEqual({ hostId: one, createdAt: NOW + 10 })
    expect(
      isUniqueViolation(await caught(() => replaceDeviceToken(db, two, 'e'.repeat(64), NOW))),
    ).toBe(true)
    await deleteHosts(db, [one])
    expect(await findDeviceToken(db, 'e'.repeat(64))).toBeUndefined()
  })

  it("the labels feature lists an orbit host's labels by name", async () => {
    const { db } = database
    const id = await insertOrbitHost(db, enrollment('U6'))
    for (const name of ['Zeta', 'Alpha']) {
      await db
        .insertInto('labels')
        .values({
          created_at: NOW,
          updated_at: NOW,
          name,
          description: '',
          query: '',
          label_type: 'regular',
          label_membership_type: 'manual',
        })
        .execute()
    }
    const labels = await db
      .selectFrom('labels')
      .select(['id', 'name'])
      .where('name', 'in', ['Zeta', 'Alpha'])
      .execute()
    await db
      .insertInto('label_membership')
      .values(labels.map((l) => ({ label_id: l.id, host_id: id, updated_at: NOW })))
      .execute()
    expect((await labelsOfHost(db, id)).map((l) => [l.name, l.membershipType])).toEqual([
      ['Alpha', 'manual'],
      ['Zeta', 'manual'],
    ])
  })
})
