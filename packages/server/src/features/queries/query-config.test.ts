import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemoryPubSub } from '../../platform/pubsub/index.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import {
  asRecord,
  buildSecondInstance,
  startTestServer,
  type TestServer,
} from '../../test-utils/test-server.js'
import { eventually, FLEET_API } from '@fleet/test-support'

describe.each(DIALECTS)('scheduled queries in the osquery config [%s]', (dialect) => {
  let pubsub: MemoryPubSub
  let t: TestServer
  let admin: string
  let teamA: number
  let teamB: number
  const keys: Record<string, string> = {}
  const ids: Record<string, number> = {}

  const enroll = async (
    name: string,
    template: 'ubuntu_22.04' | 'windows_11',
    secret: string,
  ): Promise<void> => {
    const res = await t.request('POST', '/api/osquery/enroll', {
      body: fixtureBlock(template, 'enroll', { uuid: name, hostname: name, enrollSecret: secret }),
    })
    keys[name] = String(res.data().node_key)
  }
  const config = async (host: string) => {
    const res = await t.request('POST', '/api/osquery/config', { body: { node_key: keys[host] } })
    expect(res.statusCode).toBe(200)
    return res.data()
  }
  /** Pack name → query names in a host's config. */
  const schedule = async (host: string) =>
    Object.fromEntries(
      Object.entries(asRecord((await config(host)).packs)).map(([pack, content]) => [
        pack,
        Object.keys(asRecord(asRecord(content).queries)).sort(),
      ]),
    )
  const createQuery = async (body: Record<string, unknown>) => {
    const res = await t.request('POST', `${FLEET_API}/queries`, { token: admin, body })
    expect(res.statusCode).toBe(200)
    ids[String(body.name)] = Number(asRecord(res.data().query).id)
  }
  const patchQuery = async (name: string, body: Record<string, unknown>) => {
    const res = await t.request('PATCH', `${FLEET_API}/queries/${ids[name]}`, {
      token: admin,
      body,
    })
    expect(res.statusCode).toBe(200)
  }

  // Each test starts from its own server with the same teams, hosts and queries.
  beforeEach(async () => {
    pubsub = new MemoryPubSub()
    t = await startTestServer(dialect, { pubsub })
    admin = await t.setupAdmin()
    await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: 'global-secret' }] } },
    })
    const team = async (name: string) =>
      Number(
        asRecord(
          (
            await t.request('POST', `${FLEET_API}/teams`, {
              token: admin,
              body: { name, secrets: [{ secret: `${name}-secret` }] },
            })
          ).data().team,
        ).id,
      )
    teamA = await team('A')
    teamB = await team('B')
    await enroll('ubuntu', 'ubuntu_22.04', 'global-secret')
    await enroll('windows', 'windows_11', 'global-secret')
    await enroll('ubuntu-a', 'ubuntu_22.04', 'A-secret')
    await enroll('windows-b', 'windows_11', 'B-secret')
    await createQuery({ name: 'Everywhere', query: 'SELECT * FROM uptime', interval: 300 })
    await createQuery({
      name: 'Linux ports',
      query: 'SELECT * FROM listening_ports',
      interval: 60,
      platform: 'linux',
      logging: 'differential',
      automations_enabled: true,
    })
    await createQuery({ name: 'Not scheduled', query: 'SELECT 1' })
    await createQuery({
      name: 'Goes nowhere',
      query: 'SELECT 1',
      interval: 60,
      logging: 'differential',
    })
    await createQuery({
      name: 'Team A users',
      query: 'SELECT * FROM users',
      interval: 120,
      platform: 'linux',
      min_osquery_version: '5.4.0',
      logging: 'differential_ignore_removals',
      automations_enabled: true,
      team_id: teamA,
    })
    await createQuery({ name: 'Team B only', query: 'SELECT 2', interval: 60, team_id: teamB })
  })
  afterEach(() => t.close())

  it("sends global queries in pack Global and a team's in team-<id>, per platform", async () => {
    expect(await schedule('ubuntu')).toEqual({ Global: ['Everywhere', 'Linux ports'] })
    expect(await schedule('windows')).toEqual({ Global: ['Everywhere'] })
    expect(await schedule('ubuntu-a')).toEqual({
      Global: ['Everywhere', 'Linux ports'],
      [`team-${teamA}`]: ['Team A users'],
    })
    expect(await schedule('windows-b')).toEqual({
      Global: ['Everywhere'],
      [`team-${teamB}`]: ['Team B only'],
    })
  })

  it("writes each query the way Fleet does, next to the agent options' config", async () => {
    const response = await config('ubuntu-a')
    expect(asRecord(response.options)).toMatchObject({ pack_delimiter: '/' })
    const packs = asRecord(response.packs)
    expect(asRecord(asRecord(packs.Global).queries)).toEqual({
      Everywhere: {
        query: 'SELECT * FROM uptime',
        interval: 300,
        platform: '',
        version: '',
        snapshot: true,
      },
      'Linux ports': {
        query: 'SELECT * FROM listening_ports',
        interval: 60,
        platform: 'linux',
        version: '',
        removed: true,
      },
    })
    expect(asRecord(asRecord(packs[`team-${teamA}`]).queries)).toEqual({
      'Team A users': {
        query: 'SELECT * FROM users',
        interval: 120,
        platform: 'linux',
        version: '5.4.0',
        removed: false,
      },
    })
  })

  it('costs no SQL once built, and follows query edits and deletions', async () => {
    await config('ubuntu')
    await config('windows')
    const before = t.database.queries.length
    await config('ubuntu')
    await config('windows')
    expect(t.database.queries.slice(before)).toEqual([])

    await patchQuery('Everywhere', { interval: 900, platform: 'windows' })
    expect(await schedule('ubuntu')).toEqual({ Global: ['Linux ports'] })
    const windows = asRecord(asRecord(asRecord((await config('windows')).packs).Global).queries)
    expect(asRecord(windows.Everywhere)).toMatchObject({ interval: 900, platform: 'windows' })
    await t.request('DELETE', `${FLEET_API}/queries/Linux%20ports`, { token: admin })
    expect(await schedule('ubuntu')).toEqual({})
    expect((await config('ubuntu')).packs).toBeUndefined()
  })

  it('drops report-only queries when reports are disabled', async () => {
    const set = (disabled: boolean) =>
      t.request('PATCH', `${FLEET_API}/config`, {
        token: admin,
        body: { server_settings: { query_reports_disabled: disabled } },
      })
    await set(true)
    expect(await schedule('ubuntu-a')).toEqual({
      Global: ['Linux ports'],
      [`team-${teamA}`]: ['Team A users'],
    })
    await set(false)
    expect(await schedule('ubuntu-a')).toEqual({
      Global: ['Everywhere', 'Linux ports'],
      [`team-${teamA}`]: ['Team A users'],
    })
  })

  it("follows changes of the team's agent options and of a host's team", async () => {
    const res = await t.request('POST', `${FLEET_API}/teams/${teamA}/agent_options`, {
      token: admin,
      body: { config: { options: { pack_delimiter: '/', distributed_interval: 33 } } },
    })
    expect(res.statusCode).toBe(200)
    const response = await config('ubuntu-a')
    expect(asRecord(response.options)).toMatchObject({ distributed_interval: 33 })
    expect(Object.keys(asRecord(response.packs))).toEqual(['Global', `team-${teamA}`])
    const host = asRecord(
      (await t.request('GET', `${FLEET_API}/hosts/identifier/ubuntu-a`, { token: admin })).data()
        .host,
    )
    await t.request('POST', `${FLEET_API}/hosts/transfer`, {
      token: admin,
      body: { team_id: teamB, hosts: [host.id] },
    })
    expect(await schedule('ubuntu-a')).toEqual({
      Global: ['Everywhere', 'Linux ports'],
      [`team-${teamB}`]: ['Team B only'],
    })
  })

  it('another instance sharing the database sees query changes after the pub/sub message', async () => {
    const second = await buildSecondInstance(t, pubsub)
    try {
      const read = async () => {
        const res = await second.app.inject({
          method: 'POST',
          url: '/api/osquery/config',
          payload: { node_key: keys.windows },
        })
        const global = asRecord(asRecord(asRecord(res.json()).packs).Global)
        return asRecord(asRecord(global.queries).Everywhere).interval
      }
      expect(await read()).toBe(300)
      await patchQuery('Everywhere', { interval: 1800 })
      await eventually(async () => expect(await read()).toBe(1800))
    } finally {
      await second.close()
    }
  })
})
