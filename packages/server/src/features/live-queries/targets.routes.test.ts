import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildHost, buildLabel, buildQuery, buildTeam } from '../../test-utils/factories.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

describe.each(DIALECTS)('target pickers [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamA: number
  let teamB: number
  let hostA: number
  let hostB: number
  let teamAName: string
  let labelId: number

  const search = (token: string, body: unknown) =>
    t.request('POST', `${FLEET_API}/hosts/search`, { token, body })
  const count = (token: string, body: unknown) =>
    t.request('POST', `${FLEET_API}/targets/count`, { token, body })
  const targets = (token: string, body: unknown) =>
    t.request('POST', `${FLEET_API}/targets`, { token, body })
  const ids = (res: { data(): Record<string, unknown> }) =>
    (res.data().hosts as { id: number }[]).map((h) => h.id).sort((a, b) => a - b)

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    const a = await buildTeam(t.database.db, { name: 'Pickers Alpha' })
    teamA = a.id
    teamAName = a.name
    teamB = (await buildTeam(t.database.db, { name: 'Pickers Beta' })).id
    hostA = (await buildHost(t.database.db, { teamId: teamA })).id
    hostB = (await buildHost(t.database.db, { teamId: teamB })).id
    // A label holding one host of each team.
    labelId = (await buildLabel(t.database.db, { name: 'Picker label' })).id
    await t.database.db
      .insertInto('label_membership')
      .values([
        { label_id: labelId, host_id: hostA, updated_at: 0 },
        { label_id: labelId, host_id: hostB, updated_at: 0 },
      ])
      .execute()
    await buildHost(t.database.db)
    for (let i = 0; i < 11; i++) {
      await buildHost(t.database.db, { vitals: { hostname: `bulk-${i}` } })
    }
  })
  afterAll(() => t.close())

  it('finds hosts by text, leaves out excluded ones, and answers at most 10', async () => {
    const all = await search(admin, { query: 'bulk-' })
    expect(all.statusCode).toBe(200)
    expect(ids(all)).toHaveLength(10)
    const one = await search(admin, { query: `uuid-host-`, excluded_host_ids: [hostA] })
    expect(ids(one)).not.toContain(hostA)
    const exact = await search(admin, { query: 'BULK-10', query_id: null })
    expect((exact.data().hosts as { hostname: string }[]).map((h) => h.hostname)).toEqual([
      'bulk-10',
    ])
    expect(exact.data().hosts).toEqual([expect.objectContaining({ status: expect.any(String) })])
  })

  it("shows a team user only their team's hosts; observers only for an observer_can_run query", async () => {
    const maintainer = await t.createUser(admin, {
      email: 'tpm@example.com',
      teams: [{ id: teamA, role: 'maintainer' }],
    })
    expect(ids(await search(maintainer.token, { query: '' }))).toEqual([hostA])
    const counted = await count(maintainer.token, { selected: { teams: [teamA, teamB] } })
    expect(counted.data().targets_count).toBe(1)

    const observer = await t.createUser(admin, { email: 'tpo@example.com', globalRole: 'observer' })
    expect(ids(await search(observer.token, { query: '' }))).toEqual([])
    const open = await buildQuery(t.database.db, { observerCanRun: true })
    const seen = await search(observer.token, { query: 'bulk-', query_id: open.id })
    expect(ids(seen)).toHaveLength(10)
    const observed = await count(observer.token, {
      query_id: open.id,
      selected: { hosts: [hostA, hostB] },
    })
    expect(observed.data().targets_count).toBe(2)
  })

  it('counts hosts, labels and teams as a live query resolves them', async () => {
    const res = await count(admin, { selected: { hosts: [hostA], teams: [0] } })
    expect(res.statusCode).toBe(200)
    expect(res.data().targets_count).toBe(13)
    const empty = await count(admin, {})
    expect(empty.json()).toEqual({ targets_count: 0, targets_online: 0, targets_offline: 0 })
  })

  it('refuses bad input, unknown queries and anonymous callers', async () => {
    expect((await search(admin, { excluded_host_ids: 'x' })).statusCode).toBe(400)
    expect((await count(admin, { selected: { hosts: ['a'] } })).statusCode).toBe(400)
    const unknown = await count(admin, { query_id: 999_999, selected: { hosts: [hostA] } })
    expect(unknown.statusCode).toBe(404)
    expect((await t.request('POST', `${FLEET_API}/hosts/search`, { body: {} })).statusCode).toBe(
      401,
    )
  })

  it('POST /targets: hosts, labels and teams matching a text, the selected left out, with counts', async () => {
    const res = await targets(admin, {
      query: 'picker',
      query_id: null,
      selected: { hosts: [], labels: [], teams: [teamB] },
      include_observer: true,
    })
    expect(res.statusCode).toBe(200)
    const body = res.data() as {
      targets: {
        hosts: { id: number; display_text: string; hostname: string }[]
        labels: { id: number; name: string; count: number; display_text: string }[]
        teams: { id: number; name: string; count: number }[]
      }
      targets_count: number
      targets_missing_in_action: number
    }
    expect(body.targets.labels).toEqual([
      expect.objectContaining({ id: labelId, display_text: 'Picker label', count: 2 }),
    ])
    // Team B is selected: only team A is offered; its one host counted.
    expect(body.targets.teams).toEqual([
      {
        id: teamA,
        name: teamAName,
        description: `${teamAName} description`,
        display_text: teamAName,
        count: 1,
      },
    ])
    expect(body.targets.hosts).toEqual([])
    // The selection (team B) reaches its one host.
    expect(body.targets_count).toBe(1)
    expect(body.targets_missing_in_action).toBe(0)

    const bulk = (await targets(admin, { query: 'BULK-1', selected: { hosts: [] } })).data() as {
      targets: { hosts: { hostname: string; display_text: string }[] }
    }
    expect(bulk.targets.hosts.map((h) => [h.hostname, h.display_text]).sort()).toEqual([
      ['bulk-1', 'bulk-1'],
      ['bulk-10', 'bulk-10'],
    ])
    const all = (await targets(admin, { query: 'All Hosts' })).data() as {
      targets: { labels: { name: string; count: number }[] }
    }
    expect(all.targets.labels).toEqual([expect.objectContaining({ name: 'All Hosts', count: 14 })])
  })

  it("POST /targets: a team user sees their team's hosts and counts; an observer nothing to target", async () => {
    const maintainer = await t.createUser(admin, {
      email: 'targets-maintainer@example.com',
      teams: [{ id: teamA, role: 'maintainer' }],
    })
    const res = await targets(maintainer.token, {
      query: 'picker',
      selected: { labels: [labelId] },
    })
    expect(res.statusCode).toBe(200)
    const body = res.data() as {
      targets: { labels: unknown[]; teams: { id: number }[] }
      targets_count: number
    }
    expect(body.targets.teams.map((team) => team.id)).toEqual([teamA])
    expect(body.targets.labels).toEqual([])
    // The label holds a host of each team: the maintainer reaches theirs only.
    expect(body.targets_count).toBe(1)
    const scoped = (await targets(maintainer.token, { query: 'Picker' })).data() as {
      targets: { labels: { count: number }[] }
    }
    expect(scoped.targets.labels).toEqual([expect.objectContaining({ count: 1 })])

    const observer = await t.createUser(admin, {
      email: 'targets-observer@example.com',
      globalRole: 'observer',
    })
    const seen = (
      await targets(observer.token, { query: '', selected: { hosts: [hostA] } })
    ).data() as {
      targets: { hosts: unknown[]; labels: unknown[]; teams: unknown[] }
      targets_count: number
    }
    expect(seen).toMatchObject({ targets: { hosts: [], labels: [], teams: [] }, targets_count: 0 })
  })

  it('POST /targets refuses bad input, unknown queries and anonymous callers', async () => {
    expect((await targets(admin, { selected: { teams: [-1] } })).statusCode).toBe(400)
    expect((await targets(admin, { query: 7 })).statusCode).toBe(400)
    expect((await targets(admin, { query: 'x'.repeat(256) })).statusCode).toBe(400)
    expect((await targets(admin, { query_id: 999_999 })).statusCode).toBe(404)
    expect((await t.request('POST', `${FLEET_API}/targets`, { body: {} })).statusCode).toBe(401)
  })
})
