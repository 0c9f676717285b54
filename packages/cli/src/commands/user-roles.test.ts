import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startFakeFleet, type FakeFleet, type FakeReply } from '../test-utils/fake-fleet.js'
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

/** Fleet's answers to a roles spec naming an unknown user or team; `{}` otherwise. */
function rolesSpecReply(body: unknown): FakeReply {
  const text = JSON.stringify(body)
  if (text.includes('zed@example.com')) {
    return {
      status: 404,
      body: {
        message: 'user zed@example.com was not found',
        code: 'USER_NOT_FOUND',
        errors: [{ name: 'base', reason: 'user zed@example.com was not found' }],
      },
    }
  }
  if (text.includes('"Nope"')) {
    return {
      status: 400,
      body: {
        message: 'Bad request',
        code: 'INVALID_ARGUMENT',
        errors: [{ name: 'teams', reason: 'team Nope does not exist' }],
      },
    }
  }
  return { body: {} }
}

let h: Harness
let fleet: FakeFleet
beforeEach(async () => {
  h = await createHarness()
  fleet = await startFakeFleet({
    [`GET ${FLEET_API}/users`]: () => ({ body: { users: [ADMIN, BOB] } }),
    [`GET ${FLEET_API}/teams`]: () => ({
      body: { teams: [teamFixture({ id: 7, name: 'Servers' })] },
    }),
    [`POST ${FLEET_API}/users/roles/spec`]: ({ body }) => rolesSpecReply(body),
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
  const sent = () => fleet.requests.map((r) => ({ method: r.method, path: r.path, body: r.body }))

  it("sends the spec in one POST /users/roles/spec, as Fleet's fleetctl does", async () => {
    const res = await apply({
      roles: { ...SPEC.roles, 'cy@example.com': { global_role: 'observer' } },
    })
    expect(res.err).toBe('')
    expect(res.out).toBe('[+] applied user roles of 3 users\n')
    expect(sent()).toEqual([
      {
        method: 'POST',
        path: `${FLEET_API}/users/roles/spec`,
        body: {
          spec: {
            roles: { ...SPEC.roles, 'cy@example.com': { global_role: 'observer', teams: null } },
          },
        },
      },
    ])
  })

  it("reports the server's refusal of an unknown user or team", async () => {
    const user = await apply({
      roles: { ...SPEC.roles, 'zed@example.com': { global_role: 'observer' } },
    })
    expect(user.out).toBe('')
    expect(user.err).toBe(
      'Error: applying user roles: user zed@example.com was not found (status 404)\n',
    )
    const team = await apply({
      roles: { 'bob@example.com': { teams: [{ team: 'Nope', role: 'observer' }] } },
    })
    expect(team.out).toBe('')
    expect(team.err).toBe(
      'Error: applying user roles: Bad request (status 400)\n  - teams: team Nope does not exist\n',
    )
  })

  it('sends nothing when a user has both kinds of role', async () => {
    const both = await apply({
      roles: {
        'bob@example.com': { global_role: 'admin', teams: [{ team: 'Servers', role: 'observer' }] },
      },
    })
    expect(both.err).toMatch(/cannot have both global_role and teams/)
    expect(sent()).toEqual([])
  })
})
