import type { Role } from '@fleet/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildHost, buildTeam } from '../../test-utils/factories.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

/** Labels show a user only the hosts they may see, as the hosts endpoints do (issue 9 #3). */
describe.each(DIALECTS)("labels hide other teams' hosts [%s]", (dialect) => {
  let t: TestServer
  let admin: string
  let labelId: number
  const hosts: Record<'a' | 'b' | 'none', { id: number; hostname: string }> = {
    a: { id: 0, hostname: '' },
    b: { id: 0, hostname: '' },
    none: { id: 0, hostname: '' },
  }
  const tokens = new Map<string, string>()

  const get = async (who: string, path: string) => {
    const res = await t.request('GET', `${FLEET_API}${path}`, { token: tokens.get(who) ?? admin })
    expect(res.statusCode, res.body).toBe(200)
    return res.data()
  }
  const seen = async (who: string) => {
    const one = asRecord((await get(who, `/labels/${labelId}`)).label)
    const listed = (await get(who, '/labels')).labels as Record<string, unknown>[]
    const inList = listed.find((label) => label.id === labelId)
    const specs = (await get(who, '/spec/labels')).specs as { name: string; hosts?: string[] }[]
    return {
      hostIds: one.host_ids,
      count: one.count,
      hostCount: one.host_count,
      listed: [inList?.host_ids, inList?.count],
      specHosts: specs.find((spec) => spec.name === 'Across teams')?.hosts,
    }
  }

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    const teamA = await buildTeam(t.deps.db, { name: 'Label team A' })
    const teamB = await buildTeam(t.deps.db, { name: 'Label team B' })
    for (const [key, teamId] of [
      ['a', teamA.id],
      ['b', teamB.id],
      ['none', null],
    ] as const) {
      const host = await buildHost(t.deps.db, { teamId })
      hosts[key] = { id: host.id, hostname: host.hostname }
    }
    const users: [string, Role | null, { id: number; role: Role }[]][] = [
      ['observer', 'observer', []],
      ['gitops', 'gitops', []],
      ['a-observer', null, [{ id: teamA.id, role: 'observer' }]],
      [
        'a-maintainer-b-gitops',
        null,
        [
          { id: teamA.id, role: 'maintainer' },
          { id: teamB.id, role: 'gitops' },
        ],
      ],
    ]
    for (const [email, globalRole, teams] of users) {
      const user = await t.createUser(admin, {
        email: `${email}@example.com`,
        globalRole,
        teams,
        apiOnly: globalRole === 'gitops' || teams.some((team) => team.role === 'gitops'),
      })
      tokens.set(email, user.token)
    }
    const res = await t.request('POST', `${FLEET_API}/labels`, {
      token: admin,
      body: {
        name: 'Across teams',
        label_membership_type: 'manual',
        host_ids: [hosts.a.id, hosts.b.id, hosts.none.id],
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    labelId = Number(asRecord(res.data().label).id)
  })
  afterAll(() => t.close())

  it('global readers see every member', async () => {
    const all = [hosts.a.id, hosts.b.id, hosts.none.id].sort((x, y) => x - y)
    for (const who of ['admin', 'observer']) {
      const got = await seen(who)
      expect(got.hostIds).toEqual(all)
      expect([got.count, got.hostCount]).toEqual([3, 3])
      expect(got.listed).toEqual([all, 3])
      expect(got.specHosts?.sort()).toEqual(
        [hosts.a.hostname, hosts.b.hostname, hosts.none.hostname].sort(),
      )
    }
  })

  it("team users see only their teams' members, in counts, host_ids and specs", async () => {
    for (const who of ['a-observer', 'a-maintainer-b-gitops']) {
      const got = await seen(who)
      expect(got.hostIds).toEqual([hosts.a.id])
      expect([got.count, got.hostCount]).toEqual([1, 1])
      expect(got.listed).toEqual([[hosts.a.id], 1])
      expect(got.specHosts).toEqual([hosts.a.hostname])
    }
  })

  it('gitops (write-only) sees no member', async () => {
    const got = await seen('gitops')
    expect(got.hostIds).toEqual([])
    expect([got.count, got.hostCount]).toEqual([0, 0])
    expect(got.specHosts).toEqual([])
  })
})
