import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startFakeFleet, type FakeFleet, type FakeRoutes } from '../test-utils/fake-fleet.js'
import { teamFixture } from '../test-utils/fixtures.js'
import { createHarness, type Harness } from '../test-utils/harness.js'

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

const SPEC = {
  name: 'uptime',
  description: 'how long up',
  query: 'SELECT * FROM uptime',
  team: 'Servers',
  interval: 60,
  observer_can_run: false,
  platform: '',
  min_osquery_version: '',
  automations_enabled: false,
  logging: 'snapshot',
  discard_data: false,
}
const SERVERS = teamFixture({ id: 7, name: 'Servers' })
const TEAM_ROUTES: FakeRoutes = {
  [`GET ${FLEET_API}/teams/7`]: () => ({ body: { team: SERVERS } }),
  [`GET ${FLEET_API}/teams/9`]: () => ({
    status: 404,
    body: { message: 'team not found', code: 'NOT_FOUND', errors: [] },
  }),
}

describe('get queries', () => {
  it('takes --team as a numeric id, like Fleet (0: global)', async () => {
    await serve({
      ...TEAM_ROUTES,
      [`GET ${FLEET_API}/spec/queries`]: () => ({ body: { specs: [SPEC] } }),
    })
    const res = await h.fleetctl(['get', 'queries', '--team', '7'])
    expect(res.err).toBe('')
    expect(res.out).toContain('| uptime ')
    await h.fleetctl(['get', 'queries', '--team', '0'])
    const lists = fleet.requests.filter((r) => r.path === `${FLEET_API}/spec/queries`)
    expect(lists.map((r) => r.query.get('team_id'))).toEqual(['7', null])
    expect(fleet.requests.some((r) => r.path === `${FLEET_API}/teams`)).toBe(false)
  })

  it('says "Team not found." for an unknown team id and exits 0, as Fleet does', async () => {
    await serve(TEAM_ROUTES)
    const res = await h.fleetctl(['get', 'queries', '--team', '9'])
    expect(res).toMatchObject({ code: 0, out: 'Team not found.\n', err: '' })
  })

  it("says there are none with Fleet's messages", async () => {
    await serve({
      ...TEAM_ROUTES,
      [`GET ${FLEET_API}/spec/queries`]: () => ({ body: { specs: [] } }),
    })
    expect((await h.fleetctl(['get', 'queries'])).out).toBe(
      'No global queries found.\nTo see team queries, run this command with the --team flag.\n',
    )
    expect((await h.fleetctl(['get', 'queries', '--team', '7'])).out).toBe(
      'No team queries found.\n',
    )
  })

  it("prints one query's spec given its name (of a team with --team)", async () => {
    await serve({
      ...TEAM_ROUTES,
      [`GET ${FLEET_API}/spec/queries/uptime`]: () => ({ body: { specs: SPEC } }),
    })
    const yaml = await h.fleetctl(['get', 'query', 'uptime', '--team', '7'])
    expect(yaml.err).toBe('')
    expect(parse(yaml.out.replace(/^---\n/, ''))).toEqual({
      apiVersion: 'v1',
      kind: 'query',
      spec: SPEC,
    })
    const json = await h.fleetctl(['get', 'q', 'uptime', '--json'])
    expect(JSON.parse(json.out)).toEqual({ apiVersion: 'v1', kind: 'query', spec: SPEC })
    const gets = fleet.requests.filter((r) => r.path === `${FLEET_API}/spec/queries/uptime`)
    expect(gets.map((r) => r.query.get('team_id'))).toEqual(['7', null])
  })

  it('names a query that does not exist', async () => {
    await serve({
      [`GET ${FLEET_API}/spec/queries/nope`]: () => ({
        status: 404,
        body: { message: 'query not found', code: 'NOT_FOUND', errors: [] },
      }),
    })
    const res = await h.fleetctl(['get', 'queries', 'nope'])
    expect(res.code).toBe(1)
    expect(res.err).toBe('Error: could not get query "nope": query not found (status 404)\n')
  })
})

describe("get: Fleet's aliases", () => {
  it.each([
    ['h', `GET ${FLEET_API}/hosts`, { hosts: [] }],
    ['H', `GET ${FLEET_API}/hosts`, { hosts: [] }],
    ['reports', `GET ${FLEET_API}/spec/queries`, { specs: [] }],
    ['r', `GET ${FLEET_API}/spec/queries`, { specs: [] }],
    ['l', `GET ${FLEET_API}/spec/labels`, { specs: [] }],
    ['t', `GET ${FLEET_API}/teams`, { teams: [] }],
    ['enroll-secrets', `GET ${FLEET_API}/spec/enroll_secret`, { spec: { secrets: [] } }],
  ])('get %s', async (alias, route, body) => {
    await serve({ [route]: () => ({ body }) })
    const res = await h.fleetctl(['get', alias])
    expect(res.err).toBe('')
    expect(res.code).toBe(0)
    expect(fleet.requests.map((r) => `${r.method} ${r.path}`)).toEqual([route])
  })
})
