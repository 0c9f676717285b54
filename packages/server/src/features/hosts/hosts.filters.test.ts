import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildHost, buildLabel, buildTeam, buildTeamPolicy } from '../../test-utils/factories.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import type { HostVitals } from './host.js'

const DAY = 86_400_000

/** Fleet's host filters that have data here work; those without refuse with a 400 naming them. */
describe.each(DIALECTS)('host filters [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamId: number
  const ids: Record<string, number> = {}

  const get = async (path: string, token = admin) =>
    t.request('GET', `${FLEET_API}${path}`, { token })
  const names = async (query: string, token = admin) => {
    const res = await get(`/hosts?team_id=${teamId}&${query}`, token)
    expect(res.statusCode, res.body).toBe(200)
    return (res.data().hosts as Record<string, unknown>[]).map((h) => h.hostname)
  }
  const count = async (query: string) => {
    const res = await get(`/hosts/count?team_id=${teamId}&${query}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.data().count
  }
  const refusal = async (path: string) => {
    const res = await get(path)
    expect(res.statusCode, res.body).toBe(400)
    return (res.data().errors as { name: string; reason: string }[])[0]
  }

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    teamId = (await buildTeam(t.deps.db, { name: 'Filtered' })).id
    const host = async (hostname: string, vitals: HostVitals, now = t.clock.ms) => {
      const built = await buildHost(t.deps.db, { teamId, now, vitals: { hostname, ...vitals } })
      ids[hostname] = built.id
    }
    await host('a-full', {
      gigsDiskSpaceAvailable: 5,
      gigsTotalDiskSpace: 100,
      osVersion: 'Ubuntu 22.04.3 LTS',
    })
    await host('b-roomy', {
      gigsDiskSpaceAvailable: 50,
      gigsTotalDiskSpace: 100,
      osVersion: 'Ubuntu 20.04.6 LTS',
    })
    await host('c-unreported', { osVersion: 'macOS 14.1.1', platform: 'darwin' })
    await host(
      'd-gone',
      { gigsDiskSpaceAvailable: 10, gigsTotalDiskSpace: 100 },
      t.clock.ms - 31 * DAY,
    )
  })
  afterAll(() => t.close())

  it('takes status=mia as Fleet does: unseen for 30 days, like missing', async () => {
    expect(await names('status=mia')).toEqual(['d-gone'])
    expect(await names('status=missing')).toEqual(['d-gone'])
    expect(await count('status=mia')).toBe(1)
    expect((await refusal('/hosts?status=lost'))?.name).toBe('status')
  })

  it('filters low_disk_space: less than the GB given, among hosts that reported a disk', async () => {
    expect(await names('low_disk_space=10')).toEqual(['a-full'])
    expect(await names('low_disk_space=11')).toEqual(['a-full', 'd-gone'])
    expect(await count('low_disk_space=60')).toBe(3)
    expect((await refusal('/hosts?low_disk_space=0'))?.name).toBe('low_disk_space')
    expect((await refusal('/hosts/count?low_disk_space=101'))?.name).toBe('low_disk_space')
  })

  it('filters os_name with os_version, and refuses one without the other', async () => {
    expect(await names('os_name=Ubuntu&os_version=22.04.3%20LTS')).toEqual(['a-full'])
    expect(await count('os_name=macOS&os_version=14.1.1')).toBe(1)
    expect(await names('os_name=Ubuntu&os_version=22.04')).toEqual([])
    expect((await refusal('/hosts?os_name=Ubuntu'))?.name).toBe('os_version')
    expect((await refusal('/hosts/count?os_version=14.1.1'))?.name).toBe('os_name')
  })

  it('pages with after, which needs order_key', async () => {
    expect(await names('order_key=hostname&after=b-roomy')).toEqual(['c-unreported', 'd-gone'])
    expect(await names('order_key=hostname&order_direction=desc&after=b-roomy')).toEqual(['a-full'])
    expect(await names(`order_key=id&after=${String(ids['b-roomy'])}&per_page=1`)).toEqual([
      'c-unreported',
    ])
    expect((await refusal('/hosts?after=b-roomy'))?.name).toBe('after')
    expect((await refusal('/hosts?order_key=id&after=abc'))?.name).toBe('after')
    expect((await refusal('/hosts?order_key=created_at&after=yesterday'))?.name).toBe('after')
  })

  it('adds policies with populate_policies and device_mapping on request', async () => {
    const policy = await buildTeamPolicy(t.deps.db, { teamId, name: 'Disk encrypted' })
    const list = async (query: string) =>
      (await get(`/hosts?team_id=${teamId}&query=a-full&${query}`)).data().hosts as Record<
        string,
        unknown
      >[]
    const [plain] = await list('')
    expect(plain).not.toHaveProperty('policies')
    expect(plain).not.toHaveProperty('device_mapping')
    const [full] = await list('populate_policies=true&device_mapping=true')
    expect(full?.policies).toEqual([
      expect.objectContaining({ id: policy.id, name: 'Disk encrypted', response: '' }),
    ])
    expect(full?.device_mapping).toBeNull()
    expect((await refusal('/hosts?populate_policies=maybe'))?.name).toBe('populate_policies')
  })

  it.each([
    'software_id=1',
    'software_version_id=1',
    'software_title_id=1',
    'vulnerability=CVE-2023-1234',
    'os_id=1',
    'os_version_id=1',
    'mdm_id=1',
    'mdm_name=Fleet',
    'connected_to_fleet=true',
    'bootstrap_package=installed',
    'munki_issue_id=1',
    'populate_software=true',
  ])('refuses %s with a 400 naming it instead of ignoring it', async (param) => {
    const name = param.split('=')[0]
    const label = await buildLabel(t.deps.db)
    for (const path of ['/hosts', '/hosts/count', `/labels/${label.id}/hosts`]) {
      const error = await refusal(`${path}?${param}`)
      expect(error?.name).toBe(name)
      expect(error?.reason).toMatch(/not supported yet/)
    }
  })

  it('accepts populate_software=false, which asks for nothing', async () => {
    expect(await names('populate_software=false&query=a-full')).toEqual(['a-full'])
  })

  it('reads an empty filter as none, as Fleet does (`?team_id=` is not "no team")', async () => {
    const res = await get('/hosts/count?team_id=&status=&low_disk_space=&software_id=')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.data().count).toBe(4)
  })

  it('filters a label’s hosts with the same parameters', async () => {
    const label = await buildLabel(t.deps.db, { membershipType: 'manual' })
    await t.deps.db
      .insertInto('label_membership')
      .values(
        ['a-full', 'd-gone'].map((h) => ({
          label_id: label.id,
          host_id: ids[h] ?? 0,
          updated_at: t.clock.ms,
        })),
      )
      .execute()
    const res = await get(`/labels/${label.id}/hosts?status=mia`)
    expect(res.statusCode, res.body).toBe(200)
    expect((res.data().hosts as Record<string, unknown>[]).map((h) => h.hostname)).toEqual([
      'd-gone',
    ])
  })

  it('counts missing hosts as offline, and online by the shorter interval (Fleet 4.15 on)', async () => {
    const team = await buildTeam(t.deps.db)
    const host = async (hostname: string, seenAgoMs: number) => {
      const built = await buildHost(t.deps.db, { teamId: team.id, vitals: { hostname } })
      await t.deps.db
        .updateTable('hosts')
        .set({
          seen_time: t.clock.ms - seenAgoMs,
          distributed_interval: 10,
          config_tls_refresh: 3600,
        })
        .where('id', '=', built.id)
        .execute()
    }
    await host('fresh', 1000)
    await host('slow', 5 * 60_000) // within config_tls_refresh, past distributed_interval + 60 s
    await host('gone', 31 * DAY)
    const listed = async (status: string) => {
      const res = await get(`/hosts?team_id=${team.id}&status=${status}`)
      expect(res.statusCode, res.body).toBe(200)
      return (res.data().hosts as Record<string, unknown>[]).map((h) => [h.hostname, h.status])
    }
    expect(await listed('online')).toEqual([['fresh', 'online']])
    expect(await listed('offline')).toEqual([
      ['gone', 'offline'],
      ['slow', 'offline'],
    ])
    expect(await listed('missing')).toEqual([['gone', 'offline']])
    const summary = await get(`/host_summary?team_id=${team.id}`)
    expect(summary.data()).toMatchObject({
      totals_hosts_count: 3,
      online_count: 1,
      offline_count: 2,
      mia_count: 1,
      missing_30_days_count: 1,
    })
  })

  it('orders by display_name: the computer name if set, else the hostname', async () => {
    const team = await buildTeam(t.deps.db)
    for (const [hostname, computerName] of [
      ['zeta', 'Alpha Mac'],
      ['beta', ''],
      ['alpha-2', 'Gamma PC'],
    ]) {
      await buildHost(t.deps.db, { teamId: team.id, vitals: { hostname, computerName } })
    }
    const order = async (query: string) => {
      const res = await get(`/hosts?team_id=${team.id}&order_key=display_name&${query}`)
      expect(res.statusCode, res.body).toBe(200)
      return (res.data().hosts as Record<string, unknown>[]).map((h) => h.display_name)
    }
    expect(await order('')).toEqual(['Alpha Mac', 'beta', 'Gamma PC'])
    expect(await order('order_direction=desc')).toEqual(['Gamma PC', 'beta', 'Alpha Mac'])
    expect(await order('after=Alpha%20Mac')).toEqual(['beta', 'Gamma PC'])
  })

  it('shows a team user only their own teams through the filters', async () => {
    const other = await buildTeam(t.deps.db)
    await buildHost(t.deps.db, {
      teamId: other.id,
      now: t.clock.ms - 40 * DAY,
      vitals: { hostname: 'elsewhere' },
    })
    const user = await t.createUser(admin, {
      email: 'filters-observer@example.com',
      teams: [{ id: teamId, role: 'observer' }],
    })
    const res = await get('/hosts?status=mia', user.token)
    expect((res.data().hosts as Record<string, unknown>[]).map((h) => h.hostname)).toEqual([
      'd-gone',
    ])
    const summary = await get(`/host_summary?team_id=${other.id}&low_disk_space=100`, user.token)
    expect(summary.data()).toMatchObject({ mia_count: 0, low_disk_space_count: 0 })
  })

  it('summarizes with builtin_labels, and low_disk_space_count when asked', async () => {
    const plain = await get(`/host_summary?team_id=${teamId}`)
    expect(plain.statusCode, plain.body).toBe(200)
    expect(plain.data()).not.toHaveProperty('low_disk_space_count')
    expect(plain.data().mia_count).toBe(1)
    const builtins = plain.data().builtin_labels as Record<string, unknown>[]
    expect(builtins).toContainEqual(
      expect.objectContaining({ name: 'All Hosts', label_type: 'builtin' }),
    )
    expect(builtins.every((l) => l.label_type === 'builtin')).toBe(true)
    expect(Object.keys(asRecord(builtins[0])).sort()).toEqual([
      'description',
      'id',
      'label_type',
      'name',
    ])
    // Fleet's summary counts "at most" the threshold.
    const low = await get(`/host_summary?team_id=${teamId}&low_disk_space=10`)
    expect(low.data().low_disk_space_count).toBe(2)
    expect((await refusal('/host_summary?low_disk_space=500'))?.name).toBe('low_disk_space')
  })
})
