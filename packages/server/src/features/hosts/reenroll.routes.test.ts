import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'

// Re-enrollment of an existing host (README, "Re-enrollment"): the secret decides the team, a
// move to another team is recorded, a wrong secret changes nothing, and a uuid reported by a
// detail query never moves or merges hosts.

const FLEET = '/api/latest/fleet'
const GLOBAL_SECRET = 'reenroll-global'
const A_SECRET = 'reenroll-team-a'
const B_SECRET = 'reenroll-team-b'

describe.each(DIALECTS)('re-enrolling an existing host [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamA: number
  let teamB: number

  const post = (path: string, body: unknown) => t.request('POST', path, { body })
  const osqueryEnroll = (uuid: string, secret: string) =>
    post(
      '/api/osquery/enroll',
      fixtureBlock('ubuntu_22.04', 'enroll', { uuid, hostname: `h-${uuid}`, enrollSecret: secret }),
    )
  const osqueryKey = async (uuid: string, secret: string) => {
    const res = await osqueryEnroll(uuid, secret)
    expect(res.statusCode, res.body).toBe(200)
    return String(res.data().node_key)
  }
  const orbitEnroll = (uuid: string, secret: string) =>
    post('/api/fleet/orbit/enroll', {
      enroll_secret: secret,
      hardware_uuid: uuid,
      hardware_serial: `S-${uuid}`,
      hostname: `h-${uuid}`,
      platform: 'ubuntu',
    })
  const orbitKey = async (uuid: string, secret: string) => {
    const res = await orbitEnroll(uuid, secret)
    expect(res.statusCode, res.body).toBe(200)
    return String(res.data().orbit_node_key)
  }
  const hostRows = (uuid: string) =>
    t.deps.db.selectFrom('hosts').select(['id', 'team_id']).where('uuid', '=', uuid).execute()
  const transfers = async (hostId: number) => {
    const res = await t.request('GET', `${FLEET}/activities?activity_type=transferred_hosts`, {
      token: admin,
    })
    expect(res.statusCode).toBe(200)
    return (res.data().activities as unknown[])
      .map(asRecord)
      .filter((a) => (asRecord(a.details).host_ids as unknown[]).includes(hostId))
  }

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    await t.request('POST', `${FLEET}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: GLOBAL_SECRET }] } },
    })
    const team = async (name: string, secret: string) => {
      const res = await t.request('POST', `${FLEET}/teams`, {
        token: admin,
        body: { name, secrets: [{ secret }] },
      })
      return Number(asRecord(res.data().team).id)
    }
    teamA = await team('Team A', A_SECRET)
    teamB = await team('Team B', B_SECRET)
  })
  afterAll(() => t.close())

  it('osquery: a wrong secret with an existing uuid changes nothing and keeps its node key', async () => {
    const key = await osqueryKey('RE-OSQ-1', A_SECRET)
    const [before] = await hostRows('RE-OSQ-1')
    const res = await osqueryEnroll('RE-OSQ-1', 'not-a-secret')
    expect(res.statusCode).toBe(401)
    expect(await hostRows('RE-OSQ-1')).toEqual([before])
    expect((await post('/api/osquery/config', { node_key: key })).statusCode).toBe(200)
  })

  it("osquery: another team's secret moves the host and records transferred_hosts once", async () => {
    const first = await osqueryKey('RE-OSQ-2', A_SECRET)
    const [host] = await hostRows('RE-OSQ-2')
    const hostId = Number(host?.id)
    expect(host?.team_id).toBe(teamA)
    // Same team again (osquery lost its key): no activity.
    const second = await osqueryKey('RE-OSQ-2', A_SECRET)
    expect(await transfers(hostId)).toEqual([])
    expect((await post('/api/osquery/config', { node_key: first })).statusCode).toBe(401)

    const third = await osqueryKey('RE-OSQ-2', B_SECRET)
    expect(await hostRows('RE-OSQ-2')).toEqual([{ id: hostId, team_id: teamB }])
    expect((await post('/api/osquery/config', { node_key: second })).statusCode).toBe(401)
    expect((await post('/api/osquery/config', { node_key: third })).statusCode).toBe(200)
    expect(await transfers(hostId)).toEqual([
      expect.objectContaining({
        actor_id: null,
        fleet_initiated: true,
        details: {
          team_id: teamB,
          team_name: 'Team B',
          host_ids: [hostId],
          host_display_names: ['h-RE-OSQ-2'],
        },
      }),
    ])
    // The global secret moves it to no team, recorded too.
    await osqueryKey('RE-OSQ-2', GLOBAL_SECRET)
    expect(await hostRows('RE-OSQ-2')).toEqual([{ id: hostId, team_id: null }])
    expect((await transfers(hostId)).map((a) => asRecord(a.details).team_id)).toEqual(
      expect.arrayContaining([null, teamB]),
    )
  })

  it('orbit: a wrong secret changes nothing; another team moves the host and is recorded', async () => {
    const first = await orbitKey('RE-ORB-1', A_SECRET)
    const [host] = await hostRows('RE-ORB-1')
    const hostId = Number(host?.id)
    expect((await orbitEnroll('RE-ORB-1', 'not-a-secret')).statusCode).toBe(401)
    expect(await hostRows('RE-ORB-1')).toEqual([{ id: hostId, team_id: teamA }])
    expect((await post('/api/fleet/orbit/config', { orbit_node_key: first })).statusCode).toBe(200)

    await orbitKey('RE-ORB-1', A_SECRET)
    expect(await transfers(hostId)).toEqual([])
    const moved = await orbitKey('RE-ORB-1', B_SECRET)
    expect(await hostRows('RE-ORB-1')).toEqual([{ id: hostId, team_id: teamB }])
    expect((await post('/api/fleet/orbit/config', { orbit_node_key: moved })).statusCode).toBe(200)
    expect(await transfers(hostId)).toEqual([
      expect.objectContaining({
        actor_id: null,
        fleet_initiated: true,
        details: expect.objectContaining({ team_id: teamB, host_ids: [hostId] }),
      }),
    ])
  })

  it("a uuid reported by a detail query never changes the host's uuid or merges hosts", async () => {
    const victimKey = await osqueryKey('RE-VICTIM', A_SECRET)
    const liarKey = await osqueryKey('RE-LIAR', B_SECRET)
    const [victim] = await hostRows('RE-VICTIM')
    const [liar] = await hostRows('RE-LIAR')
    const read = await post('/api/osquery/distributed/read', { node_key: liarKey })
    const asked = Object.keys(asRecord(read.data().queries))
    expect(asked).toContain('fleet_detail_query_system_info')
    const write = await post('/api/osquery/distributed/write', {
      node_key: liarKey,
      queries: {
        ...Object.fromEntries(asked.map((name) => [name, []])),
        fleet_detail_query_system_info: [
          { uuid: 'RE-VICTIM', hostname: 'liar', computer_name: 'liar', hardware_serial: 'L' },
        ],
      },
      statuses: {},
    })
    expect(write.statusCode, write.body).toBe(200)
    expect(await hostRows('RE-LIAR')).toEqual([liar])
    expect(await hostRows('RE-VICTIM')).toEqual([victim])
    // The victim re-enrolling (same team) lands on its own row; the liar keeps its own.
    await osqueryKey('RE-VICTIM', A_SECRET)
    expect(await hostRows('RE-VICTIM')).toEqual([victim])
    expect((await post('/api/osquery/config', { node_key: liarKey })).statusCode).toBe(200)
    expect((await post('/api/osquery/config', { node_key: victimKey })).statusCode).toBe(401)
    const liarRow = await t.deps.db
      .selectFrom('hosts')
      .select(['hostname', 'hardware_serial'])
      .where('id', '=', Number(liar?.id))
      .executeTakeFirstOrThrow()
    expect(liarRow).toEqual({ hostname: 'liar', hardware_serial: 'L' })
  })
})
