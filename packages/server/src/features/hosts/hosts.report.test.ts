import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FLEET_API } from '@fleet/test-support'
import { DIALECTS } from '../../test-utils/databases.js'
import { enrollFixtureHost, secretAndTeam } from '../../test-utils/hosts-setup.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

const SECRET = 'report-global-secret'
const TEAM_SECRET = 'report-team-secret'

describe.each(DIALECTS)('GET /hosts/report [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamId: number

  const enroll = (n: number, secret: string, hostname?: string) =>
    enrollFixtureHost(t, { n, secret, template: 'ubuntu_22.04', hostname })
  const report = (query: string, token = admin) =>
    t.request('GET', `${FLEET_API}/hosts/report?format=csv${query}`, { token })
  const lines = (body: string) => body.split('\r\n').filter((l) => l !== '')

  // host-1 and a host whose name needs quoting and defusing on no team; host-3 in team Servers.
  beforeEach(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    teamId = await secretAndTeam(t, admin, {
      secret: SECRET,
      team: 'Servers',
      teamSecret: TEAM_SECRET,
    })
    await enroll(1, SECRET)
    await enroll(2, SECRET, '=cmd,x')
    await enroll(3, TEAM_SECRET)
  })
  afterEach(() => t.close())

  it('streams the chosen columns of every host as an attachment', async () => {
    const res = await report('&columns=hostname,team_name,status')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="Hosts \d{4}-\d\d-\d\d\.csv"$/,
    )
    expect(lines(res.body)).toEqual([
      'hostname,team_name,status',
      'host-1,,online',
      `"'=cmd,x",,online`,
      'host-3,Servers,online',
    ])
  })

  it('writes every column without `columns`, and applies the list filters', async () => {
    const all = lines((await report('')).body)
    expect(all[0]?.split(',')).toContain('failing_policies_count')
    expect(all).toHaveLength(4)
    const team = lines((await report(`&team_id=${teamId}&columns=hostname`)).body)
    expect(team).toEqual(['hostname', 'host-3'])
    const searched = lines((await report('&query=host-1&columns=uuid')).body)
    expect(searched).toEqual(['uuid', 'UUID-1'])
    const noTeam = lines((await report('&team_id=0&status=online&columns=id')).body)
    expect(noTeam).toHaveLength(3)
  })

  it('refuses an unknown column, a missing format and a policy response without a policy', async () => {
    const unknown = await report('&columns=hostname,password')
    expect(unknown.statusCode).toBe(400)
    expect(unknown.body).toContain('unknown column: password')
    const noFormat = await t.request('GET', `${FLEET_API}/hosts/report`, { token: admin })
    expect(noFormat.statusCode).toBe(400)
    expect((await report('&policy_response=failing')).statusCode).toBe(400)
  })

  it("needs a session and shows a team user only their team's hosts", async () => {
    const anonymous = await t.request('GET', `${FLEET_API}/hosts/report?format=csv`)
    expect(anonymous.statusCode).toBe(401)
    const observer = await t.createUser(admin, {
      email: 'tobs@example.com',
      teams: [{ id: teamId, role: 'observer' }],
    })
    const theirs = await report('&columns=hostname', observer.token)
    expect(theirs.statusCode).toBe(200)
    expect(lines(theirs.body)).toEqual(['hostname', 'host-3'])
  })
})
