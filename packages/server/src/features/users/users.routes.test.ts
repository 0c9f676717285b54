import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildTeam } from '../../test-utils/factories.js'
import {
  asRecord,
  PASSWORD,
  startTestServer,
  type TestServer,
} from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

describe.each(DIALECTS)('user management [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
  })
  afterAll(() => t.close())

  it('creates users, enforcing password rules and unique email', async () => {
    const weak = await t.request('POST', `${FLEET_API}/users/admin`, {
      token: admin,
      body: { name: 'W', email: 'weak@example.com', password: 'password', global_role: 'observer' },
    })
    expect(weak.statusCode).toBe(422)
    expect(weak.json()).toMatchObject({ errors: [{ name: 'password' }] })
    const ok = await t.request('POST', `${FLEET_API}/users/admin`, {
      token: admin,
      body: { name: 'Obs', email: 'obs@example.com', password: PASSWORD, global_role: 'observer' },
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.data().user).toMatchObject({
      email: 'obs@example.com',
      global_role: 'observer',
      api_only: false,
    })
    const dup = await t.request('POST', `${FLEET_API}/users/admin`, {
      token: admin,
      body: { name: 'Obs', email: 'OBS@example.com', password: PASSWORD, global_role: 'observer' },
    })
    expect(dup.statusCode).toBe(409)
    expect(dup.data().code).toBe('USER_EMAIL_EXISTS')
    const both = await t.request('POST', `${FLEET_API}/users/admin`, {
      token: admin,
      body: {
        name: 'X',
        email: 'x@example.com',
        password: PASSWORD,
        global_role: 'observer',
        teams: [{ id: 1, role: 'admin' }],
      },
    })
    expect(both.statusCode).toBe(400)
    const gitops = await t.request('POST', `${FLEET_API}/users/admin`, {
      token: admin,
      body: { name: 'G', email: 'gitops@example.com', password: PASSWORD, global_role: 'gitops' },
    })
    expect(gitops.statusCode).toBe(400)
    expect(gitops.json()).toMatchObject({
      errors: [{ reason: 'the gitops role is only for API-only users' }],
    })
    const gitopsBot = await t.request('POST', `${FLEET_API}/users/admin`, {
      token: admin,
      body: {
        name: 'G',
        email: 'gitops@example.com',
        password: PASSWORD,
        global_role: 'gitops',
        api_only: true,
      },
    })
    expect(gitopsBot.statusCode).toBe(200)
    expect(typeof gitopsBot.data().token).toBe('string')
    const badEmail = await t.request('POST', `${FLEET_API}/users/admin`, {
      token: admin,
      body: { name: 'X', email: 'not-an-email', password: PASSWORD, global_role: 'observer' },
    })
    expect(badEmail.statusCode).toBe(400)
    expect(badEmail.json()).toMatchObject({ errors: [{ name: 'email' }] })
  })

  it('takes "teams": null as no team (real fleetctl user create without --team)', async () => {
    const create = (email: string, extra: Record<string, unknown>) =>
      t.request('POST', `${FLEET_API}/users/admin`, {
        token: admin,
        body: { name: email, email, password: PASSWORD, ...extra },
      })
    const res = await create('null-teams@example.com', { global_role: 'observer', teams: null })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.data().user).toMatchObject({ global_role: 'observer', teams: [] })
    const noRole = await create('no-role@example.com', { global_role: null, teams: null })
    expect(noRole.statusCode).toBe(400)
    const notList = await create('not-list@example.com', { global_role: 'observer', teams: 'a' })
    expect(notList.statusCode).toBe(400)
    expect(notList.json()).toMatchObject({ errors: [{ name: 'teams' }] })
  })

  it('forbids observers and maintainers from managing users', async () => {
    const observer = await t.createUser(admin, {
      email: 'observer2@example.com',
      globalRole: 'observer',
    })
    const maintainer = await t.createUser(admin, {
      email: 'maint@example.com',
      globalRole: 'maintainer',
    })
    for (const token of [observer.token, maintainer.token]) {
      expect((await t.request('GET', `${FLEET_API}/users`, { token })).statusCode).toBe(403)
      const create = await t.request('POST', `${FLEET_API}/users/admin`, {
        token,
        body: { name: 'E', email: 'evil@example.com', password: PASSWORD, global_role: 'admin' },
      })
      expect(create.statusCode).toBe(403)
      expect((await t.request('DELETE', `${FLEET_API}/users/1`, { token })).statusCode).toBe(403)
    }
    // A user can't promote themselves.
    const promote = await t.request('PATCH', `${FLEET_API}/users/${observer.id}`, {
      token: observer.token,
      body: { global_role: 'admin' },
    })
    expect(promote.statusCode).toBe(403)
    // …but may change their own name.
    const rename = await t.request('PATCH', `${FLEET_API}/users/${observer.id}`, {
      token: observer.token,
      body: { name: 'Olive' },
    })
    expect(rename.statusCode).toBe(200)
    expect(rename.data().user).toMatchObject({ name: 'Olive', global_role: 'observer' })
  })

  it('lets a team admin manage users of their own team only', async () => {
    const teamA = asRecord(
      (
        await t.request('POST', `${FLEET_API}/teams`, { token: admin, body: { name: 'Team A' } })
      ).data().team,
    )
    const teamB = asRecord(
      (
        await t.request('POST', `${FLEET_API}/teams`, { token: admin, body: { name: 'Team B' } })
      ).data().team,
    )
    const teamAdmin = await t.createUser(admin, {
      email: 'ta@example.com',
      teams: [{ id: Number(teamA.id), role: 'admin' }],
    })
    const inA = await t.request('POST', `${FLEET_API}/users/admin`, {
      token: teamAdmin.token,
      body: {
        name: 'A1',
        email: 'a1@example.com',
        password: PASSWORD,
        teams: [{ id: teamA.id, role: 'observer' }],
      },
    })
    expect(inA.statusCode).toBe(200)
    const inB = await t.request('POST', `${FLEET_API}/users/admin`, {
      token: teamAdmin.token,
      body: {
        name: 'B1',
        email: 'b1@example.com',
        password: PASSWORD,
        teams: [{ id: teamB.id, role: 'observer' }],
      },
    })
    expect(inB.statusCode).toBe(403)
    const global = await t.request('POST', `${FLEET_API}/users/admin`, {
      token: teamAdmin.token,
      body: { name: 'G', email: 'g@example.com', password: PASSWORD, global_role: 'admin' },
    })
    expect(global.statusCode).toBe(403)
    const list = await t.request('GET', `${FLEET_API}/users`, { token: teamAdmin.token })
    expect(list.statusCode).toBe(200)
    const emails = (list.data().users as { email: string }[]).map((u) => u.email).sort()
    expect(emails).toEqual(['a1@example.com', 'ta@example.com'])
    expect(
      (
        await t.request('GET', `${FLEET_API}/users?team_id=${String(teamB.id)}`, {
          token: teamAdmin.token,
        })
      ).statusCode,
    ).toBe(403)
  })

  it("keeps a team member's email and password from their team admin (account takeover)", async () => {
    const team = await buildTeam(t.deps.db, { name: 'Credentials team' })
    const teamAdmin = await t.createUser(admin, {
      email: 'cred-admin@example.com',
      teams: [{ id: team.id, role: 'admin' }],
    })
    const member = await t.createUser(admin, {
      email: 'cred-member@example.com',
      teams: [{ id: team.id, role: 'observer' }],
    })
    const patch = (token: string, body: unknown) =>
      t.request('PATCH', `${FLEET_API}/users/${member.id}`, { token, body })
    for (const body of [
      { password: 'taken-over-pass-1!' },
      { new_password: 'taken-over-pass-1!' },
      { email: 'attacker@example.com' },
      { name: 'Renamed', email: 'attacker@example.com', password: 'taken-over-pass-1!' },
    ]) {
      const res = await patch(teamAdmin.token, body)
      expect(res.statusCode, JSON.stringify(body)).toBe(403)
    }
    const renamed = await patch(teamAdmin.token, {
      name: 'Renamed',
      email: 'cred-member@example.com',
    })
    expect(renamed.statusCode, renamed.body).toBe(200)
    const login = await t.request('POST', `${FLEET_API}/login`, {
      body: { email: 'cred-member@example.com', password: PASSWORD },
    })
    expect(login.statusCode).toBe(200)
    // The user themself (with their password) and a global admin still may.
    const own = await patch(member.token, { email: 'cred-member2@example.com', password: PASSWORD })
    expect(own.statusCode, own.body).toBe(200)
    const byAdmin = await patch(admin, { email: 'cred-member3@example.com' })
    expect(byAdmin.statusCode, byAdmin.body).toBe(200)
  })

  it('keeps the last global admin and refuses self-deletion', async () => {
    const me = asRecord((await t.request('GET', `${FLEET_API}/me`, { token: admin })).data().user)
    const self = await t.request('DELETE', `${FLEET_API}/users/${String(me.id)}`, { token: admin })
    expect(self.statusCode).toBe(403)
    const demote = await t.request('PATCH', `${FLEET_API}/users/${String(me.id)}`, {
      token: admin,
      body: { global_role: 'observer' },
    })
    expect(demote.statusCode).toBe(409)
  })

  it('deletes a user and records it', async () => {
    const user = await t.createUser(admin, { email: 'gone@example.com', globalRole: 'observer' })
    expect(
      (await t.request('DELETE', `${FLEET_API}/users/${user.id}`, { token: admin })).statusCode,
    ).toBe(200)
    expect(
      (await t.request('GET', `${FLEET_API}/users/${user.id}`, { token: admin })).statusCode,
    ).toBe(404)
    expect((await t.request('GET', `${FLEET_API}/me`, { token: user.token })).statusCode).toBe(401)
    const activities = await t.request(
      'GET',
      `${FLEET_API}/activities?activity_type=deleted_user`,
      {
        token: admin,
      },
    )
    expect(activities.data().activities).toMatchObject([
      { details: { user_email: 'gone@example.com' } },
    ])
  })
})
