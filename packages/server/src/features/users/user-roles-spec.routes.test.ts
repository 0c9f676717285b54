import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildTeam } from '../../test-utils/factories.js'
import { ADMIN, asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

/** `fleetctl apply` of `kind: user_roles` (Fleet's ApplyUserRolesSpecs). */
describe.each(DIALECTS)('POST /users/roles/spec [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamA: number
  let teamB: number
  const ids = new Map<string, number>()
  const tokens = new Map<string, string>()

  const apply = (roles: Record<string, unknown>, token = admin) =>
    t.request('POST', `${FLEET_API}/users/roles/spec`, { token, body: { spec: { roles } } })
  const rolesOf = async (email: string) => {
    const res = await t.request('GET', `${FLEET_API}/users/${ids.get(email)}`, { token: admin })
    const user = asRecord(res.data().user)
    return {
      global_role: user.global_role,
      teams: (user.teams as { id: number; role: string }[]).map(({ id, role }) => ({ id, role })),
    }
  }

  // Each test starts from its own server: one@ and two@ observers, a maintainer, a team admin.
  beforeEach(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    teamA = (await buildTeam(t.deps.db, { name: 'Roles A' })).id
    teamB = (await buildTeam(t.deps.db, { name: 'Roles B' })).id
    for (const [email, role] of [
      ['one@example.com', 'observer'],
      ['two@example.com', 'observer'],
      ['maintainer@example.com', 'maintainer'],
    ] as const) {
      const user = await t.createUser(admin, { email, globalRole: role })
      ids.set(email, user.id)
      tokens.set(email, user.token)
    }
    const teamAdmin = await t.createUser(admin, {
      email: 'team-admin@example.com',
      teams: [{ id: teamA, role: 'admin' }],
    })
    tokens.set('team-admin@example.com', teamAdmin.token)
    const me = await t.request('GET', `${FLEET_API}/me`, { token: admin })
    ids.set(ADMIN.email, Number(asRecord(me.data().user).id))
  })
  afterEach(() => t.close())

  it('sets each user exactly the roles given, teams by name, and records the changes', async () => {
    const res = await apply({
      'one@example.com': {
        global_role: null,
        teams: [
          { team: 'Roles A', role: 'maintainer' },
          { team: 'Roles B', role: 'observer' },
        ],
      },
      'two@example.com': { global_role: 'maintainer', teams: null },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.data()).toEqual({})
    expect(await rolesOf('one@example.com')).toEqual({
      global_role: null,
      teams: expect.arrayContaining([
        { id: teamA, role: 'maintainer' },
        { id: teamB, role: 'observer' },
      ]),
    })
    expect(await rolesOf('two@example.com')).toEqual({ global_role: 'maintainer', teams: [] })
    const activities = await t.request('GET', `${FLEET_API}/activities?per_page=10`, {
      token: admin,
    })
    const types = (activities.data().activities as { type: string }[]).map((a) => a.type)
    expect(types).toEqual(
      expect.arrayContaining([
        'deleted_user_global_role',
        'changed_user_team_role',
        'changed_user_global_role',
      ]),
    )
    // Back to a global role: the team roles go.
    expect((await apply({ 'one@example.com': { global_role: 'observer' } })).statusCode).toBe(200)
    expect(await rolesOf('one@example.com')).toEqual({ global_role: 'observer', teams: [] })
  })

  it('is for global admins only', async () => {
    const spec = { 'two@example.com': { global_role: 'admin', teams: null } }
    for (const who of ['maintainer@example.com', 'team-admin@example.com', 'one@example.com']) {
      const res = await apply(spec, tokens.get(who))
      expect(res.statusCode, who).toBe(403)
    }
    const anonymous = await t.request('POST', `${FLEET_API}/users/roles/spec`, {
      body: { spec: { roles: spec } },
    })
    expect(anonymous.statusCode).toBe(401)
    expect((await rolesOf('two@example.com')).global_role).toBe('observer')
  })

  it('refuses bad specs and changes no one', async () => {
    const valid = { 'two@example.com': { global_role: 'maintainer' } }
    const cases: [Record<string, unknown>, number][] = [
      [{ ...valid, 'nobody@example.com': { global_role: 'observer' } }, 404],
      [{ ...valid, 'one@example.com': { teams: [{ team: 'No such', role: 'observer' }] } }, 400],
      [{ ...valid, 'one@example.com': { global_role: 'root' } }, 400],
      [{ ...valid, 'one@example.com': { global_role: null, teams: null } }, 400],
      [
        {
          ...valid,
          'one@example.com': {
            global_role: 'observer',
            teams: [{ team: 'Roles A', role: 'admin' }],
          },
        },
        400,
      ],
      [{ ...valid, 'one@example.com': { global_role: 'gitops' } }, 400],
      [{ ...valid, [ADMIN.email]: { global_role: 'maintainer' } }, 409],
    ]
    for (const [roles, status] of cases) {
      const res = await apply(roles)
      expect(res.statusCode, JSON.stringify(roles)).toBe(status)
    }
    const noSpec = await t.request('POST', `${FLEET_API}/users/roles/spec`, {
      token: admin,
      body: { roles: valid },
    })
    expect(noSpec.statusCode).toBe(400)
    expect((await rolesOf('two@example.com')).global_role).toBe('observer')
    expect((await rolesOf(ADMIN.email)).global_role).toBe('admin')
  })
})
