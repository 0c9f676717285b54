import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildTeam } from '../../test-utils/factories.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

describe.each(DIALECTS)("team settings: everything Fleet's team takes [%s]", (dialect) => {
  let t: TestServer
  let admin: string
  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
  })
  afterAll(() => t.close())

  const patch = (id: number, body: unknown, token = admin) =>
    t.request('PATCH', `${FLEET_API}/teams/${id}`, { token, body })
  const getTeam = async (id: number) =>
    asRecord((await t.request('GET', `${FLEET_API}/teams/${id}`, { token: admin })).data().team)

  it('stores integrations, MDM settings and the host status webhook, and shows them', async () => {
    const { id } = await buildTeam(t.deps.db, { name: 'Settings' })
    const res = await patch(id, {
      webhook_settings: {
        host_status_webhook: {
          enable_host_status_webhook: true,
          destination_url: 'https://hooks.example.com/status',
          host_percentage: 10,
          days_count: 3,
        },
      },
      integrations: {
        google_calendar: { enable_calendar_events: true, webhook_url: 'https://cal.example.com' },
      },
      mdm: {
        enable_disk_encryption: true,
        macos_updates: { minimum_version: '15.1', deadline: '2027-01-01' },
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    const expected = {
      webhook_settings: {
        host_status_webhook: { enable_host_status_webhook: true, host_percentage: 10 },
        failing_policies_webhook: { enable_failing_policies_webhook: false },
      },
      integrations: {
        jira: null,
        zendesk: null,
        google_calendar: { enable_calendar_events: true, webhook_url: 'https://cal.example.com' },
      },
      mdm: {
        enable_disk_encryption: true,
        macos_updates: { minimum_version: '15.1', deadline: '2027-01-01' },
        windows_updates: { deadline_days: null, grace_period_days: null },
      },
    }
    expect(asRecord(res.data().team)).toMatchObject(expected)
    expect(await getTeam(id)).toMatchObject(expected)

    // A later patch changes one key of a section and leaves the rest.
    const again = await patch(id, { mdm: { macos_updates: { deadline: '2027-02-01' } } })
    expect(again.statusCode).toBe(200)
    expect(asRecord(again.data().team).mdm).toMatchObject({
      enable_disk_encryption: true,
      macos_updates: { minimum_version: '15.1', deadline: '2027-02-01' },
    })
  })

  it("shows one team's users with their role, not in lists", async () => {
    const { id } = await buildTeam(t.deps.db, { name: 'With users' })
    const member = await t.createUser(admin, {
      email: 'member@example.com',
      teams: [{ id, role: 'maintainer' }],
    })
    const team = await getTeam(id)
    expect(team.users).toEqual([
      expect.objectContaining({ id: member.id, email: 'member@example.com', role: 'maintainer' }),
    ])
    const list = await t.request('GET', `${FLEET_API}/teams`, { token: admin })
    for (const listed of list.data().teams as Record<string, unknown>[]) {
      expect(listed).not.toHaveProperty('users')
      expect(listed).toHaveProperty('mdm')
      expect(listed).toHaveProperty('integrations')
    }
  })

  it('refuses host_ids and user_ids naming the endpoints that do it, and unknown keys', async () => {
    const { id } = await buildTeam(t.deps.db, { name: 'Refusals' })
    const hosts = await patch(id, { host_ids: [1, 2] })
    expect(hosts.statusCode).toBe(400)
    expect(hosts.json()).toMatchObject({
      errors: [{ name: 'host_ids', reason: expect.stringContaining('/hosts/transfer') }],
    })
    const users = await patch(id, { name: 'Renamed', user_ids: [1] })
    expect(users.statusCode).toBe(400)
    expect(users.json()).toMatchObject({
      errors: [{ name: 'user_ids', reason: expect.stringContaining('/users') }],
    })
    expect((await getTeam(id)).name).toBe('Refusals')
    const unknown = await patch(id, { mdm: { enable_disk_encyption: true } })
    expect(unknown.statusCode).toBe(400)
    expect(JSON.stringify(unknown.json())).toContain('enable_disk_encyption')
    const top = await patch(id, { software: { packages: [] } })
    expect(top.statusCode).toBe(400)
    expect(JSON.stringify(top.json())).toContain('software')
    const badUrl = await patch(id, {
      webhook_settings: {
        host_status_webhook: { enable_host_status_webhook: true, destination_url: 'ftp://x' },
      },
    })
    expect(badUrl.statusCode).toBe(422)
    expect(badUrl.json()).toMatchObject({
      errors: [{ name: 'webhook_settings.host_status_webhook.destination_url' }],
    })
  })

  it('refuses team observers and admins of other teams', async () => {
    const { id } = await buildTeam(t.deps.db, { name: 'Guarded' })
    const other = await buildTeam(t.deps.db, { name: 'Elsewhere' })
    const observer = await t.createUser(admin, {
      email: 'team-observer@example.com',
      teams: [{ id, role: 'observer' }],
    })
    const otherAdmin = await t.createUser(admin, {
      email: 'other-admin@example.com',
      teams: [{ id: other.id, role: 'admin' }],
    })
    const body = { mdm: { enable_disk_encryption: true } }
    expect((await patch(id, body, observer.token)).statusCode).toBe(403)
    expect((await patch(id, body, otherAdmin.token)).statusCode).toBe(403)
    expect(asRecord((await getTeam(id)).mdm).enable_disk_encryption).toBe(false)
  })

  it('applies team specs with additional queries, MDM settings and scripts', async () => {
    const res = await t.request('POST', `${FLEET_API}/spec/teams`, {
      token: admin,
      body: {
        specs: [
          {
            name: 'From spec',
            features: {
              enable_host_users: true,
              additional_queries: { time: 'SELECT * FROM time' },
            },
            mdm: { enable_disk_encryption: true, macos_settings: { custom_settings: [] } },
            scripts: ['lib/script.sh'],
            webhook_settings: { host_status_webhook: { enable_host_status_webhook: false } },
          },
        ],
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    const id = Number(asRecord(res.data().team_ids_by_name)['From spec'])
    expect(await getTeam(id)).toMatchObject({
      features: { additional_queries: { time: 'SELECT * FROM time' } },
      mdm: { enable_disk_encryption: true, macos_settings: { custom_settings: [] } },
      scripts: ['lib/script.sh'],
    })
  })
})
