import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildTeam } from '../../test-utils/factories.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

describe.each(DIALECTS)('teams and enroll secrets [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let observer: { id: number; token: string }
  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    observer = await t.createUser(admin, { email: 'observer@example.com', globalRole: 'observer' })
  })
  afterAll(() => t.close())

  /** A team of this test's own (tests share the server, not their teams). */
  const newTeam = async (name?: string) => buildTeam(t.deps.db, name === undefined ? {} : { name })

  it("creates a team with Fleet's shape and records it", async () => {
    const res = await t.request('POST', `${FLEET_API}/teams`, {
      token: admin,
      body: { name: 'Workstations', description: 'Laptops' },
    })
    expect(res.statusCode).toBe(200)
    const team = asRecord(res.data().team)
    expect(team).toMatchObject({
      name: 'Workstations',
      description: 'Laptops',
      agent_options: null,
      user_count: 0,
      host_count: 0,
      secrets: [],
      features: { enable_host_users: true },
    })
    const teamId = Number(team.id)
    const activity = await t.request('GET', `${FLEET_API}/activities?activity_type=created_team`, {
      token: admin,
    })
    const activities = activity.data().activities as { details: { team_id: number } }[]
    expect(activities.filter((a) => a.details.team_id === teamId)).toMatchObject([
      { details: { team_id: teamId, team_name: 'Workstations' } },
    ])
  })

  it('refuses a duplicate team name regardless of case (409) and reserved names (400)', async () => {
    await newTeam('Duplicated')
    const dup = await t.request('POST', `${FLEET_API}/teams`, {
      token: admin,
      body: { name: 'dupLICATED' },
    })
    expect(dup.statusCode).toBe(409)
    expect(dup.data().code).toBe('TEAM_NAME_EXISTS')
    const reserved = await t.request('POST', `${FLEET_API}/teams`, {
      token: admin,
      body: { name: 'No team' },
    })
    expect(reserved.statusCode).toBe(400)
    expect(reserved.json()).toMatchObject({ errors: [{ name: 'name' }] })
  })

  it('forbids observers from creating, editing or deleting teams and reading secrets', async () => {
    const token = observer.token
    const teamId = (await newTeam()).id
    expect(
      (await t.request('POST', `${FLEET_API}/teams`, { token, body: { name: 'Nope' } })).statusCode,
    ).toBe(403)
    expect(
      (await t.request('PATCH', `${FLEET_API}/teams/${teamId}`, { token, body: { name: 'Nope' } }))
        .statusCode,
    ).toBe(403)
    expect((await t.request('DELETE', `${FLEET_API}/teams/${teamId}`, { token })).statusCode).toBe(
      403,
    )
    expect(
      (await t.request('GET', `${FLEET_API}/teams/${teamId}/secrets`, { token })).statusCode,
    ).toBe(403)
    expect(
      (
        await t.request('PATCH', `${FLEET_API}/teams/${teamId}/secrets`, {
          token,
          body: { secrets: [{ secret: 'x' }] },
        })
      ).statusCode,
    ).toBe(403)
    expect((await t.request('GET', `${FLEET_API}/spec/enroll_secret`, { token })).statusCode).toBe(
      403,
    )
    expect(
      (
        await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
          token,
          body: { spec: { secrets: [{ secret: 'x' }] } },
        })
      ).statusCode,
    ).toBe(403)
    // Observers can see teams.
    expect((await t.request('GET', `${FLEET_API}/teams`, { token })).statusCode).toBe(200)
  })

  it('masks team enroll secrets for observers, team observers and gitops users, as Fleet does', async () => {
    const team = await newTeam()
    const set = await t.request('PATCH', `${FLEET_API}/teams/${team.id}/secrets`, {
      token: admin,
      body: { secrets: [{ secret: 'do-not-leak-this' }] },
    })
    expect(set.statusCode, set.body).toBe(200)
    const gitops = await t.createUser(admin, {
      email: `gitops-${team.id}@example.com`,
      globalRole: 'gitops',
      apiOnly: true,
    })
    const teamObserver = await t.createUser(admin, {
      email: `team-observer-${team.id}@example.com`,
      globalRole: null,
      teams: [{ id: team.id, role: 'observer' }],
    })
    const teamAdmin = await t.createUser(admin, {
      email: `team-admin-${team.id}@example.com`,
      globalRole: null,
      teams: [{ id: team.id, role: 'admin' }],
    })
    const secretsSeenBy = async (token: string) => {
      const one = await t.request('GET', `${FLEET_API}/teams/${team.id}`, { token })
      const list = await t.request('GET', `${FLEET_API}/teams`, { token })
      const listed = (list.data().teams as { id: number; secrets: { secret: string }[] }[]).find(
        (entry) => entry.id === team.id,
      )
      const fromOne = (asRecord(one.data().team).secrets as { secret: string }[]).map(
        (s) => s.secret,
      )
      expect(listed?.secrets.map((s) => s.secret)).toEqual(fromOne)
      return fromOne
    }
    for (const token of [observer.token, gitops.token, teamObserver.token]) {
      expect(await secretsSeenBy(token)).toEqual(['********'])
    }
    for (const token of [admin, teamAdmin.token]) {
      expect(await secretsSeenBy(token)).toEqual(['do-not-leak-this'])
    }
  })

  it('sets team enroll secrets and refuses one used elsewhere', async () => {
    const teamId = (await newTeam()).id
    const res = await t.request('PATCH', `${FLEET_API}/teams/${teamId}/secrets`, {
      token: admin,
      body: { secrets: [{ secret: 'team-secret-1' }] },
    })
    expect(res.statusCode).toBe(200)
    expect(res.data().secrets).toMatchObject([{ secret: 'team-secret-1', team_id: teamId }])
    const global = await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: 'team-secret-1' }] } },
    })
    expect(global.statusCode).toBe(409)
    const fine = await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: 'global-1' }, { secret: 'global-2' }] } },
    })
    expect(fine.statusCode).toBe(200)
    const list = await t.request('GET', `${FLEET_API}/spec/enroll_secret`, { token: admin })
    expect(
      (asRecord(list.data().spec).secrets as { secret: string; team_id: null }[]).map((s) => [
        s.secret,
        s.team_id,
      ]),
    ).toEqual([
      ['global-1', null],
      ['global-2', null],
    ])
    const team = await t.request('GET', `${FLEET_API}/teams/${teamId}`, { token: admin })
    expect(asRecord(team.data().team).secrets).toMatchObject([{ secret: 'team-secret-1' }])
    const bad = await t.request('PATCH', `${FLEET_API}/teams/${teamId}/secrets`, {
      token: admin,
      body: { secrets: [{ secret: 'has space' }] },
    })
    expect(bad.statusCode).toBe(400)
    const dup = await t.request('PATCH', `${FLEET_API}/teams/${teamId}/secrets`, {
      token: admin,
      body: { secrets: [{ secret: 'a' }, { secret: 'a' }] },
    })
    expect(dup.statusCode).toBe(400)
    const dry = await t.request('POST', `${FLEET_API}/spec/enroll_secret?dry_run=true`, {
      token: admin,
      body: { spec: { secrets: [] } },
    })
    expect(dry.statusCode).toBe(200)
    expect(
      (
        asRecord(
          (await t.request('GET', `${FLEET_API}/spec/enroll_secret`, { token: admin })).data().spec,
        ).secrets as unknown[]
      ).length,
    ).toBe(2)
  })

  it('scopes team users to their teams', async () => {
    const mine = await newTeam()
    const teamId = mine.id
    const other = await newTeam()
    const maintainer = await t.createUser(admin, {
      email: 'tm@example.com',
      teams: [{ id: teamId, role: 'maintainer' }],
    })
    const list = await t.request('GET', `${FLEET_API}/teams`, { token: maintainer.token })
    expect((list.data().teams as { name: string }[]).map((x) => x.name)).toEqual([mine.name])
    expect(
      (
        await t.request('GET', `${FLEET_API}/teams/${other.id}`, {
          token: maintainer.token,
        })
      ).statusCode,
    ).toBe(403)
    // A team maintainer manages their team's enroll secrets but not another team's.
    expect(
      (await t.request('GET', `${FLEET_API}/teams/${teamId}/secrets`, { token: maintainer.token }))
        .statusCode,
    ).toBe(200)
    expect(
      (
        await t.request('GET', `${FLEET_API}/teams/${other.id}/secrets`, {
          token: maintainer.token,
        })
      ).statusCode,
    ).toBe(403)
    // …and may not rename the team (team admins may).
    expect(
      (
        await t.request('PATCH', `${FLEET_API}/teams/${teamId}`, {
          token: maintainer.token,
          body: { name: 'Mine' },
        })
      ).statusCode,
    ).toBe(403)
  })

  it('adds and removes team users, recording role changes', async () => {
    const teamId = (await newTeam()).id
    const user = await t.createUser(admin, {
      email: 'member@example.com',
      teams: [{ id: teamId, role: 'observer' }],
    })
    const add = await t.request('PATCH', `${FLEET_API}/teams/${teamId}/users`, {
      token: admin,
      body: { users: [{ id: user.id, role: 'maintainer' }] },
    })
    expect(add.statusCode).toBe(200)
    const users = await t.request('GET', `${FLEET_API}/teams/${teamId}/users`, { token: admin })
    expect(
      (users.data().users as { email: string; teams: { role: string }[] }[]).find(
        (u) => u.email === 'member@example.com',
      )?.teams,
    ).toMatchObject([{ role: 'maintainer' }])
    const activities = await t.request(
      'GET',
      `${FLEET_API}/activities?activity_type=changed_user_team_role&per_page=1`,
      { token: admin },
    )
    expect(activities.data().activities).toMatchObject([
      { details: { role: 'maintainer', team_id: teamId, user_email: 'member@example.com' } },
    ])
    const globalUser = await t.request('PATCH', `${FLEET_API}/teams/${teamId}/users`, {
      token: admin,
      body: { users: [{ id: observer.id, role: 'admin' }] },
    })
    expect(globalUser.statusCode).toBe(400)
    const remove = await t.request('DELETE', `${FLEET_API}/teams/${teamId}/users`, {
      token: admin,
      body: { users: [{ id: user.id }] },
    })
    expect(remove.statusCode).toBe(200)
  })

  it('validates agent options strictly unless forced', async () => {
    const teamId = (await newTeam()).id
    const good = await t.request('POST', `${FLEET_API}/teams/${teamId}/agent_options`, {
      token: admin,
      body: { config: { options: { distributed_interval: 5 } } },
    })
    expect(good.statusCode).toBe(200)
    expect(asRecord(good.data().team).agent_options).toEqual({
      config: { options: { distributed_interval: 5 } },
    })
    const bad = await t.request('POST', `${FLEET_API}/teams/${teamId}/agent_options`, {
      token: admin,
      body: { config: { optionz: {} } },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({
      errors: [{ name: 'agent_options.config.optionz', reason: 'unsupported key provided' }],
    })
    const forced = await t.request(
      'POST',
      `${FLEET_API}/teams/${teamId}/agent_options?force=true`,
      {
        token: admin,
        body: { config: { optionz: { x: 1 } } },
      },
    )
    expect(forced.statusCode).toBe(200)
    expect(asRecord(forced.data().team).agent_options).toEqual({ config: { optionz: { x: 1 } } })
  })

  it('applies team specs: creates, updates by name, replaces secrets, in one transaction', async () => {
    const teamId = (await newTeam('Spec Target')).id
    const res = await t.request('POST', `${FLEET_API}/spec/teams`, {
      token: admin,
      body: {
        specs: [
          { name: 'spec target', secrets: [{ secret: 'ws-2' }] },
          {
            name: 'Kiosks',
            agent_options: { config: { options: { logger_tls_period: 60 } } },
            secrets: [{ secret: 'kiosk-1' }],
          },
        ],
      },
    })
    expect(res.statusCode).toBe(200)
    const ids = asRecord(res.data().team_ids_by_name)
    expect(ids['spec target']).toBe(teamId)
    expect(typeof ids.Kiosks).toBe('number')
    const ws = asRecord(
      (await t.request('GET', `${FLEET_API}/teams/${teamId}`, { token: admin })).data().team,
    )
    expect(ws.name).toBe('spec target')
    expect(ws.secrets).toMatchObject([{ secret: 'ws-2' }])
    // A failing spec changes nothing.
    const failing = await t.request('POST', `${FLEET_API}/spec/teams`, {
      token: admin,
      body: {
        specs: [
          { name: 'Partial', secrets: [{ secret: 'p1' }] },
          { name: 'Clash', secrets: [{ secret: 'ws-2' }] },
        ],
      },
    })
    expect(failing.statusCode).toBe(409)
    const teams = await t.request('GET', `${FLEET_API}/teams?query=partial`, { token: admin })
    expect(teams.data().teams).toEqual([])
    const denied = await t.request('POST', `${FLEET_API}/spec/teams`, {
      token: observer.token,
      body: { specs: [{ name: 'Observed' }] },
    })
    expect(denied.statusCode).toBe(403)
  })

  it('deletes a team and its secrets', async () => {
    const created = asRecord(
      (
        await t.request('POST', `${FLEET_API}/teams`, {
          token: admin,
          body: { name: 'Temp', secrets: [{ secret: 'temp-1' }] },
        })
      ).data().team,
    )
    expect(
      (await t.request('DELETE', `${FLEET_API}/teams/${String(created.id)}`, { token: admin }))
        .statusCode,
    ).toBe(200)
    expect(
      (await t.request('GET', `${FLEET_API}/teams/${String(created.id)}`, { token: admin }))
        .statusCode,
    ).toBe(404)
    const reuse = await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: 'temp-1' }] } },
    })
    expect(reuse.statusCode).toBe(200)
  })
})
