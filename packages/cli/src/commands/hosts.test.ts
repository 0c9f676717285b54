import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startFakeFleet, type FakeFleet, type FakeRoutes } from '../test-utils/fake-fleet.js'
import { hostFixture, hostSummaryFixture, teamFixture } from '../test-utils/fixtures.js'
import { createHarness, type Harness } from '../test-utils/harness.js'
import { FLEET_API } from '@fleet/test-support'

let h: Harness
let fleet: FakeFleet
beforeEach(async () => {
  h = await createHarness()
})
afterEach(async () => {
  await fleet.close()
  await h.cleanup()
})

async function serve(routes: FakeRoutes): Promise<void> {
  fleet = await startFakeFleet(routes)
  await h.login(fleet.url, 'tok')
}

const HOST = hostSummaryFixture()
const LINUX = { ...HOST, id: 2, uuid: 'ubuntu-uuid', display_text: 'web-1', platform: 'ubuntu' }

describe('get hosts', () => {
  it("prints Fleet's table of every host", async () => {
    await serve({ [`GET ${FLEET_API}/hosts`]: () => ({ body: { hosts: [HOST, LINUX] } }) })
    const res = await h.fleetctl(['get', 'hosts'])
    expect(res.err).toBe('')
    const lines = res.out.split('\n')
    expect(lines[1]).toMatch(/^\| UUID +\| HOSTNAME +\| PLATFORM \| OSQUERY VERSION \| STATUS \|$/)
    expect(lines[3]).toMatch(
      /^\| 3F2504E0-\S+ +\| mbp-1\.local \| darwin +\| 5\.12\.1 +\| online \|$/,
    )
    expect(res.out).toContain('| ubuntu-uuid ')
    expect(fleet.requests[0]?.query.toString()).toBe('page=0&per_page=500')
  })

  it('filters by --team, given an id or a name', async () => {
    await serve({
      [`GET ${FLEET_API}/hosts`]: () => ({ body: { hosts: [HOST] } }),
      [`GET ${FLEET_API}/teams`]: () => ({
        body: { teams: [teamFixture({ id: 7, name: 'Servers' })] },
      }),
    })
    await h.fleetctl(['get', 'hosts', '--team', '3'])
    await h.fleetctl(['get', 'hosts', '--team', 'Servers'])
    const lists = fleet.requests.filter((r) => r.path === `${FLEET_API}/hosts`)
    expect(lists.map((r) => r.query.get('team_id'))).toEqual(['3', '7'])
    const unknown = await h.fleetctl(['get', 'hosts', '--team', 'Nope'])
    expect(unknown.code).toBe(1)
    expect(unknown.err).toBe('Error: team "Nope" not found\n')
  })

  it('prints one kind: host document per host as YAML or JSON', async () => {
    await serve({ [`GET ${FLEET_API}/hosts`]: () => ({ body: { hosts: [HOST] } }) })
    const yaml = await h.fleetctl(['get', 'hosts', '--yaml'])
    expect(parse(yaml.out.replace(/^---\n/, ''))).toEqual({
      apiVersion: 'v1',
      kind: 'host',
      spec: HOST,
    })
    const json = await h.fleetctl(['get', 'hosts', '--json'])
    expect(JSON.parse(json.out)).toEqual({ apiVersion: 'v1', kind: 'host', spec: HOST })
  })

  it('says there are none only in a table, like Fleet', async () => {
    await serve({ [`GET ${FLEET_API}/hosts`]: () => ({ body: { hosts: [] } }) })
    expect((await h.fleetctl(['get', 'hosts'])).out).toBe('No hosts found\n')
    expect((await h.fleetctl(['get', 'hosts', '--json'])).out).toBe('')
  })

  it('prints a 403 as a clean error', async () => {
    await serve({
      [`GET ${FLEET_API}/hosts`]: () => ({
        status: 403,
        body: { message: 'forbidden', code: 'FORBIDDEN', errors: [] },
      }),
    })
    const res = await h.fleetctl(['get', 'hosts'])
    expect(res.code).toBe(1)
    expect(res.out).toBe('')
    expect(res.err).toBe('Error: could not list hosts: forbidden (status 403)\n')
  })
})

describe('get host <identifier>', () => {
  it('prints the host in detail as a kind: host spec', async () => {
    const host = hostFixture({ users: [] })
    await serve({
      [`GET ${FLEET_API}/hosts/identifier/mbp-1.local`]: () => ({ body: { host } }),
    })
    const yaml = await h.fleetctl(['get', 'host', 'mbp-1.local'])
    expect(yaml.err).toBe('')
    expect(yaml.out.startsWith('---\napiVersion: v1\nkind: host\nspec:\n  id: 1\n')).toBe(true)
    expect(parse(yaml.out.replace(/^---\n/, ''))).toEqual({
      apiVersion: 'v1',
      kind: 'host',
      spec: host,
    })
    const json = await h.fleetctl(['get', 'host', 'mbp-1.local', '--json'])
    expect(JSON.parse(json.out)).toEqual({ apiVersion: 'v1', kind: 'host', spec: host })
  })

  it('names a host that does not exist, and refuses --team with an identifier', async () => {
    await serve({
      [`GET ${FLEET_API}/hosts/identifier/ghost`]: () => ({
        status: 404,
        body: { message: 'host not found', code: 'NOT_FOUND', errors: [] },
      }),
    })
    const res = await h.fleetctl(['get', 'host', 'ghost'])
    expect(res.code).toBe(1)
    expect(res.err).toBe('Error: could not get host: host not found (status 404)\n')
    const both = await h.fleetctl(['get', 'host', 'ghost', '--team', '1'])
    expect(both.err).toBe('Error: cannot provide both --team and a host identifier\n')
    expect(fleet.requests).toHaveLength(1)
  })
})
