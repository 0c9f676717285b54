import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildHost, buildLabel } from '../../test-utils/factories.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { startMdmWorld, type MdmTestWorld } from '../../test-utils/mdm-device.js'
import type { TestServer } from '../../test-utils/test-server.js'

const HOSTS = '/api/latest/fleet/hosts'
const ON = {
  encryption_key_available: false,
  enrollment_status: 'On (manual)',
  dep_profile_error: false,
  name: 'Fleet',
  server_url: 'https://fleet.example.com/mdm/apple/mdm',
}
const NONE = {
  encryption_key_available: false,
  enrollment_status: null,
  dep_profile_error: false,
  name: '',
  server_url: null,
}

interface ListedHost {
  id: number
  uuid: string
  mdm: unknown
}

describe.each(DIALECTS)('MDM devices as hosts [%s]', (dialect) => {
  let world: MdmTestWorld
  let t: TestServer
  let admin: string
  let topic: string

  beforeAll(async () => {
    world = await startMdmWorld(dialect)
    ;({ t, admin, topic } = world)
  })
  afterAll(() => t.close())

  const db = () => t.deps.db
  const enrolledDevice = () => world.enrolledDevice()
  async function listed(path = `${HOSTS}?per_page=500`): Promise<Map<string, ListedHost>> {
    const res = await t.request('GET', path, { token: admin })
    expect(res.statusCode).toBe(200)
    const hosts = (res.json() as { hosts: ListedHost[] }).hosts
    return new Map(hosts.map((h) => [h.uuid, h]))
  }
  const deviceRow = (udid: string) =>
    db()
      .selectFrom('mdm_apple_devices')
      .select(['host_id', 'enrolled_at'])
      .where('id', '=', udid)
      .executeTakeFirstOrThrow()

  it('gives every host list item Fleet’s mdm object: enrolled, checked out, never', async () => {
    const on = await enrolledDevice()
    const off = await enrolledDevice()
    expect((await off.checkin('CheckOut', { Topic: topic })).statusCode).toBe(200)
    const plain = await buildHost(db(), {})

    const hosts = await listed()
    expect(hosts.get(on.udid)?.mdm).toEqual(ON)
    expect(hosts.get(off.udid)?.mdm).toEqual({ ...ON, enrollment_status: 'Off' })
    expect(hosts.get(plain.uuid)?.mdm).toEqual(NONE)

    // The label's host list and the detail carry the same object.
    const label = await buildLabel(db(), { name: 'MDM list label' })
    const onId = hosts.get(on.udid)?.id ?? 0
    await db()
      .insertInto('label_membership')
      .values({ label_id: label.id, host_id: onId, updated_at: 0 })
      .execute()
    const byLabel = await listed(`/api/latest/fleet/labels/${label.id}/hosts`)
    expect([...byLabel.values()].map((h) => h.mdm)).toEqual([ON])
    const detail = await t.request('GET', `${HOSTS}/${onId}`, { token: admin })
    expect((detail.json() as { host: { mdm: unknown } }).host.mdm).toEqual(ON)
  })

  it('keeps a deleted host’s device enrolled and brings the host back on its next message', async () => {
    const device = await enrolledDevice()
    const before = (await listed()).get(device.udid)
    expect(before).toBeDefined()

    const del = await t.request('DELETE', `${HOSTS}/${before?.id}`, { token: admin })
    expect(del.statusCode).toBe(200)
    expect((await listed()).has(device.udid)).toBe(false)
    // Nothing points at the deleted host; the enrollment is untouched (Fleet leaves MDM on).
    expect((await deviceRow(device.udid)).host_id).toBeNull()
    const enrollment = await db()
      .selectFrom('mdm_enrollments')
      .select('enabled')
      .where('id', '=', device.udid)
      .executeTakeFirstOrThrow()
    expect(Number(enrollment.enabled)).toBe(1)

    // The device's next poll (Idle) re-creates the host, enrolled.
    expect((await device.report('Idle')).statusCode).toBe(200)
    const after = (await listed()).get(device.udid)
    expect(after?.mdm).toEqual(ON)
    expect(after?.id).not.toBe(before?.id)
    expect(Number((await deviceRow(device.udid)).host_id)).toBe(after?.id)
  })

  it('re-attaches on a check-in too, but not on CheckOut', async () => {
    const viaCheckin = await enrolledDevice()
    const leaving = await enrolledDevice()
    const hosts = await listed()
    const ids = [viaCheckin, leaving].map((d) => hosts.get(d.udid)?.id)
    const res = await t.request('POST', `${HOSTS}/delete`, { token: admin, body: { ids } })
    expect(res.statusCode).toBe(200)

    expect((await viaCheckin.tokenUpdate()).statusCode).toBe(200)
    expect((await listed()).get(viaCheckin.udid)?.mdm).toEqual(ON)

    expect((await leaving.checkin('CheckOut', { Topic: topic })).statusCode).toBe(200)
    expect((await listed()).has(leaving.udid)).toBe(false)
    expect(await deviceRow(leaving.udid)).toEqual({ host_id: null, enrolled_at: null })
  })
})
