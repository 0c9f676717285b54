import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FLEET_API } from '@fleet/test-support'
import { DIALECTS } from '../../test-utils/databases.js'
import { enrollFixtureHost, secretAndTeam } from '../../test-utils/hosts-setup.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

const SECRET = 'os-global-secret'
const TEAM_SECRET = 'os-team-secret'

describe.each(DIALECTS)('GET /os_versions [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamId: number

  const enroll = (n: number, secret: string, template: 'ubuntu_22.04' | 'windows_11') =>
    enrollFixtureHost(t, { n, secret, template })
  const versions = async (query = '', token = admin) => {
    const res = await t.request('GET', `${FLEET_API}/os_versions${query}`, { token })
    expect(res.statusCode).toBe(200)
    return res.data().os_versions as Record<string, unknown>[]
  }

  // Two ubuntu hosts and one windows host on no team, one windows host in team Servers.
  beforeEach(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    teamId = await secretAndTeam(t, admin, {
      secret: SECRET,
      team: 'Servers',
      teamSecret: TEAM_SECRET,
    })
    await enroll(1, SECRET, 'ubuntu_22.04')
    await enroll(2, SECRET, 'ubuntu_22.04')
    await enroll(3, SECRET, 'windows_11')
    await enroll(4, TEAM_SECRET, 'windows_11')
  })
  afterEach(() => t.close())

  it('counts hosts per OS, most first, scoped by team and platform', async () => {
    const all = await versions()
    expect(all).toEqual([
      {
        name: expect.stringMatching(/^Microsoft Windows 11/),
        name_only: 'Microsoft Windows',
        version: expect.stringMatching(/^11/),
        platform: 'windows',
        hosts_count: 2,
      },
      {
        name: expect.stringMatching(/^Ubuntu 22/),
        name_only: 'Ubuntu',
        version: expect.stringMatching(/^22/),
        platform: 'ubuntu',
        hosts_count: 2,
      },
    ])
    for (const v of all) {
      expect(`${String(v.name_only)} ${String(v.version)}`).toBe(v.name)
    }
    expect((await versions(`?team_id=${teamId}`)).map((v) => v.hosts_count)).toEqual([1])
    expect((await versions('?team_id=0&platform=ubuntu')).map((v) => v.hosts_count)).toEqual([2])
  })

  it("shows a team user only their team's hosts and nothing of other teams", async () => {
    const observer = await t.createUser(admin, {
      email: 'team-observer@example.com',
      teams: [{ id: teamId, role: 'observer' }],
    })
    expect((await versions('', observer.token)).map((v) => v.hosts_count)).toEqual([1])
    expect(await versions(`?team_id=${teamId + 100}`, observer.token)).toEqual([])
    const anonymous = await t.request('GET', `${FLEET_API}/os_versions`)
    expect(anonymous.statusCode).toBe(401)
  })
})
