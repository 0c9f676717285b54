import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ABM_TOKENS, runJob, startAbmWorld, type AbmWorld } from '../../test-utils/abm-kit.js'
import { DIALECTS } from '../../test-utils/databases.js'
import type { FakeAbm } from '../../test-utils/fake-abm.js'
import type { TestServer } from '../../test-utils/test-server.js'

describe.each(DIALECTS)('ABM device sync [%s]', (dialect) => {
  let world: AbmWorld
  let t: TestServer
  let abm: FakeAbm
  let admin: string
  let teamId: number

  beforeAll(async () => {
    world = await startAbmWorld(dialect, 'Workstations')
    ;({ t, abm, admin, teamId } = world)
  })
  afterAll(() => world.close())

  const runSync = () => runJob(t, 'mdm_apple_dep_syncer')
  const hostsBySerial = (serials: string[]) =>
    t.database.db
      .selectFrom('hosts')
      .select(['id', 'hardware_serial', 'platform', 'team_id', 'uuid'])
      .where('hardware_serial', 'in', serials)
      .execute()
  const mdmOf = async (hostId: number) =>
    (
      (await t.request('GET', `${FLEET_API}/hosts/${hostId}`, { token: admin })).data().host as {
        mdm: { enrollment_status: string | null }
      }
    ).mdm.enrollment_status
  const listSerials = async (status: string) =>
    (
      (
        await t.request('GET', `${FLEET_API}/hosts?mdm_enrollment_status=${status}`, {
          token: admin,
        })
      ).data().hosts as { hardware_serial: string }[]
    ).map((h) => h.hardware_serial)
  const tokenJson = async () =>
    (
      (await t.request('GET', ABM_TOKENS, { token: admin })).data().abm_tokens as Record<
        string,
        unknown
      >[]
    )[0]
  const calls = (path: string) => abm.requests.filter((r) => r.path === path).length

  it('makes new ABM devices pending hosts in the default team, and assigns their DEP profiles', async () => {
    abm.addDevice({ serial_number: 'MAC0001' })
    abm.addDevice({ serial_number: 'MAC0002' })
    abm.addDevice({
      serial_number: 'PHONE01',
      device_family: 'iPhone',
      os: 'iOS',
      model: 'iPhone 15',
    })
    abm.addDevice({ serial_number: 'TV00001', device_family: 'AppleTV', os: 'tvOS' })
    const counts = await runSync()
    expect(counts).toMatchObject({ tokens: 1, failed: 0, added: 3, assigned: 3 })

    const hosts = await hostsBySerial(['MAC0001', 'MAC0002', 'PHONE01', 'TV00001'])
    expect(hosts.map((h) => [h.hardware_serial, h.platform, h.team_id]).sort()).toEqual([
      ['MAC0001', 'darwin', teamId],
      ['MAC0002', 'darwin', teamId],
      ['PHONE01', 'ios', null],
    ])
    // one DEP profile per team, each pointing at this server's enrollment URL with its own token
    const profiles = [...abm.profiles.values()]
    expect(profiles).toHaveLength(2)
    for (const p of profiles) {
      expect(String(p.url)).toMatch(/\/api\/mdm\/apple\/enroll\?token=[\w-]+$/)
      expect(p.await_device_configured).toBe(true)
    }
    expect(new Set(profiles.map((p) => p.url)).size).toBe(2)
    expect(abm.assignments.get('MAC0001')).toBe(abm.assignments.get('MAC0002'))
    expect(abm.assignments.get('PHONE01')).not.toBe(abm.assignments.get('MAC0001'))

    const mac = hosts.find((h) => h.hardware_serial === 'MAC0001')
    expect(await mdmOf(Number(mac?.id))).toBe('Pending')
    expect((await listSerials('pending')).sort()).toEqual(['MAC0001', 'MAC0002', 'PHONE01'])
    expect(await listSerials('unenrolled')).not.toContain('MAC0001')
    expect(await tokenJson()).toMatchObject({ last_error: null, terms_expired: false })
  })

  it('is idempotent: a second run creates, defines and assigns nothing', async () => {
    const before = {
      hosts: (await hostsBySerial(['MAC0001'])).length,
      profile: calls('/profile'),
      assign: calls('/profile/devices'),
    }
    const counts = await runSync()
    expect(counts).toMatchObject({ added: 0, removed: 0, assigned: 0, failed: 0 })
    expect((await hostsBySerial(['MAC0001'])).length).toBe(before.hosts)
    expect(calls('/profile')).toBe(before.profile)
    expect(calls('/profile/devices')).toBe(before.assign)
  })

  it('syncs later changes: a new device joins, a removed one is no longer pending', async () => {
    abm.addDevice({ serial_number: 'PAD0001', device_family: 'iPad', os: 'iPadOS' })
    abm.removeDevice('MAC0002')
    const counts = await runSync()
    expect(counts).toMatchObject({ added: 1, removed: 1, failed: 0 })
    const [pad] = await hostsBySerial(['PAD0001'])
    expect(pad?.platform).toBe('ipados')
    const [gone] = await hostsBySerial(['MAC0002'])
    expect(await mdmOf(Number(gone?.id))).toBeNull()
    expect((await listSerials('pending')).sort()).toEqual(['MAC0001', 'PAD0001', 'PHONE01'])
  })

  it('records ABM failures on the token, never throws, and recovers on the next run', async () => {
    abm.fail('/devices/sync', 500, 'Internal Server Error')
    abm.addDevice({ serial_number: 'MAC0003' })
    const failed = await runSync()
    expect(failed).toMatchObject({ failed: 1, added: 0 })
    expect(String((await tokenJson())?.last_error)).toContain('500')
    expect(await hostsBySerial(['MAC0003'])).toEqual([])

    const ok = await runSync()
    expect(ok).toMatchObject({ failed: 0, added: 1 })
    expect(await tokenJson()).toMatchObject({ last_error: null, terms_expired: false })

    abm.fail('/devices/sync', 403, 'T_C_NOT_SIGNED')
    await runSync()
    expect(await tokenJson()).toMatchObject({ terms_expired: true })
    abm.expireSessions() // the next run needs a new session: re-made transparently
    await runSync()
    expect(await tokenJson()).toMatchObject({ terms_expired: false, last_error: null })
  })

  it('retries assignments that failed on the next run', async () => {
    abm.addDevice({ serial_number: 'MAC0004' })
    abm.fail('/profile/devices', 500, 'Internal Server Error')
    expect(await runSync()).toMatchObject({ failed: 1, added: 1 })
    const [row] = await t.database.db
      .selectFrom('mdm_abm_devices')
      .select('assign_status')
      .where('serial_number', '=', 'MAC0004')
      .execute()
    expect(row?.assign_status).toBe('')
    expect(await runSync()).toMatchObject({ failed: 0, assigned: 1 })
    expect(abm.assignments.get('MAC0004')).toBe(abm.assignments.get('MAC0001'))
  })

  it('defines the DEP profile again when ABM no longer knows it', async () => {
    const before = calls('/profile')
    abm.profiles.clear()
    abm.addDevice({ serial_number: 'MAC0005' })
    expect(await runSync()).toMatchObject({ failed: 1, added: 1 })
    expect(String((await tokenJson())?.last_error)).toContain('PROFILE_NOT_FOUND')
    expect(await runSync()).toMatchObject({ failed: 0 })
    expect(calls('/profile')).toBe(before + 1)
    const [uuid] = [...abm.profiles.keys()]
    expect(abm.assignments.get('MAC0005')).toBe(uuid)
    expect(abm.assignments.get('MAC0001')).toBe(uuid)
  })
})
