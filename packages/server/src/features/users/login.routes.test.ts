import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildTeam } from '../../test-utils/factories.js'
import {
  ADMIN,
  asRecord,
  PASSWORD,
  startTestServer,
  type TestServer,
} from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

describe.each(DIALECTS)('logins, passwords and sessions [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
  })
  afterAll(() => t.close())

  it("logs in with Fleet's response shape and records the login", async () => {
    // A global admin's available teams are all teams, whichever other tests made.
    const team = await buildTeam(t.deps.db)
    const res = await t.request('POST', `${FLEET_API}/login`, {
      body: { email: 'ADMIN@example.com', password: ADMIN.password },
    })
    expect(res.statusCode).toBe(200)
    expect(res.data()).toMatchObject({
      user: { email: ADMIN.email },
      available_teams: expect.arrayContaining([
        { id: team.id, name: team.name, description: team.description },
      ]),
      token: expect.any(String),
    })
    const activities = await t.request('GET', `${FLEET_API}/activities?per_page=1`, {
      token: admin,
    })
    expect(activities.data().activities).toMatchObject([
      { type: 'user_logged_in', actor_email: ADMIN.email },
    ])
  })

  it('refuses a wrong password with 401 without saying which part was wrong', async () => {
    const wrong = await t.request('POST', `${FLEET_API}/login`, {
      body: { email: ADMIN.email, password: 'not-the-password-1!' },
    })
    const unknown = await t.request('POST', `${FLEET_API}/login`, {
      body: { email: 'nobody@example.com', password: 'not-the-password-1!' },
    })
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(wrong.json()).toEqual(unknown.json())
    expect(wrong.json()).toMatchObject({
      message: 'Authentication failed',
      errors: [{ name: 'base', reason: 'Authentication failed' }],
    })
  })

  it('rate-limits logins per account with 429 and retry-after', async () => {
    const email = 'limited@example.com'
    const codes: number[] = []
    for (let i = 0; i < 12; i++) {
      codes.push(
        (
          await t.request('POST', `${FLEET_API}/login`, {
            body: { email, password: 'wrong-password-1!' },
          })
        ).statusCode,
      )
    }
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true)
    const limited = await t.request('POST', `${FLEET_API}/login`, {
      body: { email, password: 'wrong-password-1!' },
    })
    expect(limited.statusCode).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(String(limited.data().message)).toMatch(/^limit exceeded, retry after: \d+s$/)
    t.clock.advance(60_000)
    expect(
      (
        await t.request('POST', `${FLEET_API}/login`, {
          body: { email, password: 'wrong-password-1!' },
        })
      ).statusCode,
    ).toBe(401)
  })

  it('changes passwords: old password required, other sessions end', async () => {
    const user = await t.createUser(admin, { email: 'pw@example.com', globalRole: 'observer' })
    const second = asRecord(
      (
        await t.request('POST', `${FLEET_API}/login`, {
          body: { email: 'pw@example.com', password: PASSWORD },
        })
      ).data(),
    ).token
    const wrongOld = await t.request('POST', `${FLEET_API}/change_password`, {
      token: user.token,
      body: { old_password: 'nope-nope-nope-1!', new_password: 'brand-new-pass-2@' },
    })
    expect(wrongOld.statusCode).toBe(422)
    expect(wrongOld.json()).toMatchObject({
      errors: [{ name: 'old_password', reason: 'old password does not match' }],
    })
    const weak = await t.request('POST', `${FLEET_API}/change_password`, {
      token: user.token,
      body: { old_password: PASSWORD, new_password: 'weak' },
    })
    expect(weak.statusCode).toBe(422)
    const ok = await t.request('POST', `${FLEET_API}/change_password`, {
      token: user.token,
      body: { old_password: PASSWORD, new_password: 'brand-new-pass-2@' },
    })
    expect(ok.statusCode).toBe(200)
    expect((await t.request('GET', `${FLEET_API}/me`, { token: user.token })).statusCode).toBe(200)
    expect((await t.request('GET', `${FLEET_API}/me`, { token: String(second) })).statusCode).toBe(
      401,
    )
    const login = await t.request('POST', `${FLEET_API}/login`, {
      body: { email: 'pw@example.com', password: 'brand-new-pass-2@' },
    })
    expect(login.statusCode).toBe(200)
  })

  it('forces a required password reset before anything else', async () => {
    const user = await t.createUser(admin, { email: 'reset@example.com', globalRole: 'maintainer' })
    const req = await t.request('POST', `${FLEET_API}/users/${user.id}/require_password_reset`, {
      token: admin,
      body: { require: true },
    })
    expect(req.statusCode).toBe(200)
    expect((await t.request('GET', `${FLEET_API}/me`, { token: user.token })).statusCode).toBe(401)
    const token = String(
      (
        await t.request('POST', `${FLEET_API}/login`, {
          body: { email: 'reset@example.com', password: PASSWORD },
        })
      ).data().token,
    )
    const blocked = await t.request('GET', `${FLEET_API}/teams`, { token })
    expect(blocked.statusCode).toBe(403)
    expect(blocked.data().code).toBe('PASSWORD_RESET_REQUIRED')
    const reset = await t.request('POST', `${FLEET_API}/perform_required_password_reset`, {
      token,
      body: { new_password: 'fresh-password-3#' },
    })
    expect(reset.statusCode).toBe(200)
    expect(reset.data().user).toMatchObject({ force_password_reset: false })
    expect((await t.request('GET', `${FLEET_API}/teams`, { token })).statusCode).toBe(200)
  })

  it('gives API-only users a non-expiring token while normal sessions expire', async () => {
    const apiUser = await t.createUser(admin, {
      email: 'bot@example.com',
      globalRole: 'observer',
      apiOnly: true,
    })
    const human = await t.createUser(admin, { email: 'human@example.com', globalRole: 'observer' })
    t.clock.advance(121 * 3_600_000)
    expect((await t.request('GET', `${FLEET_API}/me`, { token: apiUser.token })).statusCode).toBe(
      200,
    )
    expect((await t.request('GET', `${FLEET_API}/me`, { token: human.token })).statusCode).toBe(401)
    admin = await (async () => {
      const res = await t.request('POST', `${FLEET_API}/login`, {
        body: { email: ADMIN.email, password: ADMIN.password },
      })
      return String(res.data().token)
    })()
  })

  it('logs out, and the token stops working', async () => {
    const user = await t.createUser(admin, { email: 'bye@example.com', globalRole: 'observer' })
    expect((await t.request('POST', `${FLEET_API}/logout`, { token: user.token })).statusCode).toBe(
      200,
    )
    expect((await t.request('GET', `${FLEET_API}/me`, { token: user.token })).statusCode).toBe(401)
  })

  it('lists and deletes sessions only for their owner or an admin', async () => {
    const a = await t.createUser(admin, { email: 'sa@example.com', globalRole: 'observer' })
    const b = await t.createUser(admin, { email: 'sb@example.com', globalRole: 'observer' })
    const mine = await t.request('GET', `${FLEET_API}/users/${a.id}/sessions`, { token: a.token })
    expect(mine.statusCode).toBe(200)
    const sessions = mine.data().sessions as { session_id: number }[]
    expect(sessions.length).toBe(1)
    const id = sessions[0]?.session_id
    expect(
      (await t.request('GET', `${FLEET_API}/sessions/${String(id)}`, { token: b.token }))
        .statusCode,
    ).toBe(403)
    expect(
      (await t.request('DELETE', `${FLEET_API}/users/${a.id}/sessions`, { token: b.token }))
        .statusCode,
    ).toBe(403)
    expect(
      (await t.request('DELETE', `${FLEET_API}/sessions/${String(id)}`, { token: admin }))
        .statusCode,
    ).toBe(200)
    expect((await t.request('GET', `${FLEET_API}/me`, { token: a.token })).statusCode).toBe(401)
  })
})
