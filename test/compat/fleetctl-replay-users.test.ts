import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodedByGo, type GoRequest } from './go-client.js'
import { ADMIN, asList, asObject, startReplayServer, type ReplayServer } from './replay-server.js'

// Real fleetctl's requests for users and roles (`user create`, `get user_roles`, `apply` of kind:
// user_roles), carves and `trigger`, replayed against a real `fleet serve`. The Go source of each
// request is named above it (fleetdm/fleet). Config, labels, queries, policies and teams are in
// fleetctl-replay.test.ts; hosts and live queries in fleetctl-replay-hosts.test.ts.

let rs: ReplayServer
const send = (method: string, path: string, req: Omit<GoRequest, 'token'> = {}) =>
  rs.go.send(method, path, { ...req, token: rs.token })

describe('real fleetctl request shapes: users, carves, trigger', () => {
  beforeAll(async () => {
    rs = await startReplayServer('Replay users org')
  })
  afterAll(async () => {
    await rs?.stop()
  })
  it('user create --team and get user_roles (client_users.go: CreateUser, ListUsers; fleetctl/user.go)', async () => {
    // CreateUser: POST /api/latest/fleet/users/admin with fleet.UserPayload as user.go fills it.
    // With --team ID:role each entry is a fleet.UserTeam: the whole fleet.Team struct (zero
    // created_at, empty name, counts 0) plus `role`; global_role is omitted (nil pointer).
    const teams = decodedByGo(
      await send('POST', '/api/latest/fleet/spec/teams', {
        body: { specs: [{ name: 'Replay users team' }] },
      }),
    )
    const teamId = asObject(teams.team_ids_by_name)['Replay users team']
    const teamUser = decodedByGo(
      await send('POST', '/api/latest/fleet/users/admin', {
        body: {
          name: 'Replay Team Maintainer',
          email: 'team-maintainer@example.com',
          password: 'team-m4intainer!',
          sso_enabled: false,
          mfa_enabled: false,
          admin_forced_password_reset: true,
          api_only: false,
          teams: [
            {
              id: teamId,
              created_at: '0001-01-01T00:00:00Z',
              name: '',
              description: '',
              user_count: 0,
              host_count: 0,
              role: 'maintainer',
            },
          ],
        },
      }),
    )
    expect(asObject(teamUser.user)).toMatchObject({
      global_role: null,
      teams: [expect.objectContaining({ id: teamId, role: 'maintainer' })],
    })

    // `get user_roles`: ListUsers = GET /api/latest/fleet/users into listUsersResponse.users.
    const users = asList(decodedByGo(await send('GET', '/api/latest/fleet/users')).users)
    expect(users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: ADMIN.email, global_role: 'admin' }),
        expect.objectContaining({ email: 'team-maintainer@example.com', global_role: null }),
      ]),
    )
  })

  // Without --team, user.go sets `Teams: &teams` with a nil slice, so Go sends `"teams": null`
  // (taken as no team).
  it('user create with a global role, and --api-only (client_users.go: CreateUser)', async () => {
    const payload = (email: string, role: string, apiOnly: boolean) => ({
      name: email,
      email,
      password: 'gl0bal-p4ssword!',
      sso_enabled: false,
      mfa_enabled: false,
      admin_forced_password_reset: !apiOnly,
      api_only: apiOnly,
      global_role: role,
      teams: null,
    })
    const created = decodedByGo(
      await send('POST', '/api/latest/fleet/users/admin', {
        body: payload('observer@example.com', 'observer', false),
      }),
    )
    expect(asObject(created.user)).toMatchObject({
      email: 'observer@example.com',
      global_role: 'observer',
    })
    // --api-only: the answer carries the API token fleetctl prints.
    const apiOnly = decodedByGo(
      await send('POST', '/api/latest/fleet/users/admin', {
        body: payload('api@example.com', 'maintainer', true),
      }),
    )
    expect(apiOnly.token).toEqual(expect.any(String))
  })

  // `fleetctl apply` of kind: user_roles POSTs /api/latest/fleet/users/roles/spec
  // {spec: {roles: {email: {global_role, teams}}}} (teams null without teams).
  it('apply kind: user_roles (client_users.go: ApplyUsersRoleSecretSpec)', async () => {
    await send('POST', '/api/latest/fleet/spec/teams', {
      body: { specs: [{ name: 'Roles team' }] },
    })
    const created = await send('POST', '/api/latest/fleet/users/admin', {
      body: {
        name: 'Roles',
        email: 'roles@example.com',
        password: 'r0les-p4ssword!',
        global_role: 'observer',
      },
    })
    expect(created.status, created.text).toBe(200)
    const roles = {
      [ADMIN.email]: { global_role: 'admin', teams: null },
      'roles@example.com': {
        global_role: null,
        teams: [{ team: 'Roles team', role: 'observer' }],
      },
    }
    decodedByGo(
      await send('POST', '/api/latest/fleet/users/roles/spec', { body: { spec: { roles } } }),
    )
    const users = asList(decodedByGo(await send('GET', '/api/latest/fleet/users')).users)
    expect(users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: ADMIN.email, global_role: 'admin' }),
        expect.objectContaining({
          email: 'roles@example.com',
          global_role: null,
          teams: [expect.objectContaining({ name: 'Roles team', role: 'observer' })],
        }),
      ]),
    )
  })

  it('get carves (client_carves.go: ListCarves)', async () => {
    // GET /api/v1/fleet/carves, with expired=1 for --expired, into listCarvesResponse.carves.
    for (const query of ['', 'expired=1']) {
      const res = decodedByGo(await send('GET', '/api/v1/fleet/carves', { query }))
      expect(asList(res.carves)).toEqual([])
    }
  })

  it('trigger --name (client_cron_schedules.go: TriggerCronSchedule)', async () => {
    // POST /api/latest/fleet/trigger with `name=X` as the query and no body; 200 with any body
    // is success, 404 and 409 carry the reason fleetctl prints.
    const ok = await send('POST', '/api/latest/fleet/trigger', { query: 'name=policy_host_counts' })
    expect(ok.status, ok.text).toBe(200)
    decodedByGo(ok)
    const unknown = await send('POST', '/api/latest/fleet/trigger', { query: 'name=' })
    expect(unknown.status).toBe(404)
    expect(unknown.text).toContain('invalid name; supported trigger names are ')
  })
})
