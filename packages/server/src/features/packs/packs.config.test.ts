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

/** Pack queries reach osquery in the config's `packs`, only on the hosts a pack targets. */
describe.each(DIALECTS)('packs in the osquery config [%s]', (dialect) => {
  let pubsub: MemoryPubSub
  let t: TestServer
  let admin: string
  let teamId: number
  const keys: Record<string, string> = {}
  const hostIds: Record<string, number> = {}

  const api = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) => {
    const res = await t.request(method, `${FLEET_API}${path}`, { token: admin, body })
    expect(res.statusCode, `${method} ${path}: ${JSON.stringify(res.data())}`).toBe(200)
    return res.data()
  }
  const enroll = async (name: string, template: 'ubuntu_22.04' | 'windows_11', secret: string) => {
    const res = await t.request('POST', '/api/osquery/enroll', {
      body: fixtureBlock(template, 'enroll', { uuid: name, hostname: name, enrollSecret: secret }),
    })
    keys[name] = String(res.data().node_key)
    const host = asRecord((await api('GET', `/hosts/identifier/${name}`)).host)
    hostIds[name] = Number(host.id)
  }
  const configPacks = async (host: string) => {
    const res = await t.request('POST', '/api/osquery/config', { body: { node_key: keys[host] } })
    expect(res.statusCode).toBe(200)
    return asRecord(res.data().packs)
  }
  /** Names of the 2017-style packs (not the schedule's Global/team-N) in a host's config. */
  const userPacks = async (host: string) =>
    Object.keys(await configPacks(host))
      .filter((name) => name !== 'Global' && !name.startsWith('team-'))
      .sort()

  beforeEach(async () => {
    pubsub = new MemoryPubSub()
    t = await startTestServer(dialect, { pubsub })
    admin = await t.setupAdmin()
    await api('POST', '/spec/enroll_secret', { spec: { secrets: [{ secret: 'global' }] } })
    teamId = Number(
      asRecord((await api('POST', '/teams', { name: 'A', secrets: [{ secret: 'team-a' }] })).team)
        .id,
    )
    await enroll('ubuntu', 'ubuntu_22.04', 'global')
    await enroll('windows', 'windows_11', 'global')
    await enroll('ubuntu-a', 'ubuntu_22.04', 'team-a')
    await api('POST', '/queries', { name: 'Uptime', query: 'SELECT * FROM uptime' })
    await api('POST', '/queries', { name: 'Users', query: 'SELECT * FROM users' })
  })
  afterEach(() => t.close())

  it('sends a pack only to the hosts of its teams, hosts and labels', async () => {
    await api('POST', '/labels', { name: 'Picked', host_ids: [hostIds.ubuntu] })
    await api('POST', '/spec/packs', {
      specs: [
        {
          name: 'By team',
          targets: { teams: ['A'] },
          queries: [{ query: 'Uptime', interval: 60 }],
        },
        {
          name: 'By label',
          targets: { labels: ['Picked'] },
          queries: [{ query: 'Users', name: 'users', interval: 120, snapshot: true, shard: 50 }],
        },
        {
          name: 'Off',
          disabled: true,
          targets: { teams: ['A'], labels: ['Picked'] },
          queries: [{ query: 'Uptime', interval: 60 }],
        },
      ],
    })
    const byHost = asRecord(
      (await api('POST', '/packs', { name: 'By host', host_ids: [hostIds.windows] })).pack,
    )
    const uptime = asRecord((await api('GET', '/spec/packs/By%20team')).specs)
    expect(uptime.name).toBe('By team')
    const queryId = Number(asRecord(((await api('GET', '/queries')).queries as unknown[])[0]).id)
    await api('POST', '/packs/schedule', { pack_id: byHost.id, query_id: queryId, interval: 30 })

    expect(await userPacks('ubuntu-a')).toEqual(['By team'])
    expect(await userPacks('windows')).toEqual(['By host'])
    expect(await userPacks('ubuntu')).toEqual(['By label'])
    expect(asRecord((await configPacks('ubuntu'))['By label'])).toEqual({
      queries: {
        users: { query: 'SELECT * FROM users', interval: 120, snapshot: true, shard: 50 },
      },
    })
  })

  it('follows pack edits: disabling, retargeting and deleting reach the next config fetch', async () => {
    const pack = asRecord((await api('POST', '/packs', { name: 'P', team_ids: [teamId] })).pack)
    const queryId = Number(asRecord(((await api('GET', '/queries')).queries as unknown[])[0]).id)
    await api('POST', '/packs/schedule', { pack_id: pack.id, query_id: queryId, interval: 30 })
    expect(await userPacks('ubuntu-a')).toEqual(['P'])
    expect(await userPacks('ubuntu')).toEqual([])

    await api('PATCH', `/packs/${pack.id}`, { disabled: true })
    expect(await userPacks('ubuntu-a')).toEqual([])
    await api('PATCH', `/packs/${pack.id}`, {
      disabled: false,
      team_ids: [],
      host_ids: [hostIds.ubuntu],
    })
    expect(await userPacks('ubuntu-a')).toEqual([])
    expect(await userPacks('ubuntu')).toEqual(['P'])
    await api('DELETE', '/packs/P')
    expect(await userPacks('ubuntu')).toEqual([])
  })

  it('reaches another instance sharing the database after the pub/sub message', async () => {
    const second = await buildSecondInstance(t, pubsub)
    try {
      const read = async () => {
        const res = await second.app.inject({
          method: 'POST',
          url: '/api/osquery/config',
          payload: { node_key: keys.windows },
        })
        return Object.keys(asRecord(asRecord(res.json()).packs))
      }
      expect(await read()).toEqual([])
      await api('POST', '/spec/packs', {
        specs: [{ name: 'Late', queries: [{ query: 'Uptime', interval: 60 }] }],
      })
      const pack = asRecord((await api('GET', '/spec/packs/Late')).specs)
      await api('PATCH', `/packs/${pack.id}`, { host_ids: [hostIds.windows] })
      await eventually(async () => expect(await read()).toEqual(['Late']))
    } finally {
      await second.close()
    }
  })
})
