import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startFakeFleet, type FakeFleet } from '../test-utils/fake-fleet.js'
import { teamFixture, userFixture } from '../test-utils/fixtures.js'
import { createHarness, type Harness } from '../test-utils/harness.js'

const ADMIN = userFixture({
  id: 1,
  name: 'Ann',
  email: 'ann@example.com',
  global_role: 'admin',
  teams: [],
})
const BOB = userFixture({
  id: 2,
  name: 'Bob',
  email: 'bob@example.com',
  global_role: null,
  teams: [{ id: 7, name: 'Servers', description: '', role: 'maintainer' }],
})

let h: Harness
let fleet: FakeFleet
beforeEach(async () => {
  h = await createHarness()
  fleet = await startFakeFleet({
    [`GET ${FLEET_API}/users`]: () => ({ body: { users: [ADMIN, BOB] } }),
    [`GET ${FLEET_API}/teams`]: () => ({
      body: { teams: [teamFixture({ id: 7, name: 'Servers' })] },
    }),
    [`PATCH ${FLEET_API}/users/1`]: () => ({ body: { user: ADMIN } }),
    [`PATCH ${FLEET_API}/users/2`]: () => ({ body: { user: BOB } }),
  })
  await h.login(fleet.url, 'tok')
})
afterEach(async () => {
  await fleet.close()
  await h.cleanup()
})

const SPEC = {
  roles: {
    'ann@example.com': { global_role: 'admin', teams: null },
    'bob@example.com': { global_role: null, teams: [{ team: 'Servers', role: 'maintainer' }] },
  },
}

describe('get user_roles', () => {
  it("prints Fleet's table, and a kind: user_roles spec with --yaml / --json", async () => {
    const table = await h.fleetctl(['get', 'user_roles'])
    expect(table.err).toBe('')
    expect(table.out).toMatch(/\| Ann +\| admin +\|/)
    const yaml = await h.fleetctl(['get', 'ur', '--yaml'])
    expect(parse(yaml.out.replace(/^---\n/, ''))).toEqual({
      apiVersion: 'v1',
      kind: 'user_roles',
      spec: SPEC,
    })
    const json = await h.fleetctl(['get', 'user_role', '--json'])
    expect(JSON.parse(json.out)).toEqual({ apiVersion: 'v1', kind: 'user_roles', spec: SPEC })
  })
})

describe('apply kind: user_roles', () => {
  async function apply(spec: unknown) {
    const file = join(h.dir, 'roles.yml')
    await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'user_roles', spec }))
    return h.fleetctl(['apply', '-f', file])
  }
  const patches = () =>
    fleet.requests.filter((r) => r.method === 'PATCH').map((r) => ({ path: r.path, body: r.body }))

  it("sets each user's global or team roles by email and team name", async () => {
    const res = await apply(SPEC)
    expect(res.err).toBe('')
    expect(res.out).toBe('[+] applied user roles of 2 users\n')
    expect(patches()).toEqual([
      { path: `${FLEET_API}/users/1`, body: { global_role: 'admin', teams: [] } },
      {
        path: `${FLEET_API}/users/2`,
        body: { global_role: null, teams: [{ id: 7, role: 'maintainer' }] },
      },
    ])
  })

  it('applies nothing when a user or a team does not exist, or a user has both kinds of role', async () => {
    const user = await apply({
      roles: { ...SPEC.roles, 'zed@example.com': { global_role: 'observer' } },
    })
    expect(user.err).toBe('Error: user "zed@example.com" not found\n')
    const team = await apply({
      roles: { 'bob@example.com': { teams: [{ team: 'Nope', role: 'observer' }] } },
    })
    expect(team.err).toBe('Error: team "Nope" not found\n')
    const both = await apply({
      roles: {
        'bob@example.com': { global_role: 'admin', teams: [{ team: 'Servers', role: 'observer' }] },
      },
    })
    expect(both.err).toMatch(/cannot have both global_role and teams/)
    expect(patches()).toEqual([])
  })
})
