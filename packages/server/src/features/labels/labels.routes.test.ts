import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { fixtureBlock } from '../../test-utils/osquery-fixtures.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { FLEET_API } from '@fleet/test-support'

const SECRET = 'labels-secret'

describe.each(DIALECTS)('labels [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let observer: string
  let ubuntuKey: string
  let windowsKey: string

  const read = async (nodeKey: string) => {
    const res = await t.request('POST', '/api/osquery/distributed/read', {
      body: { node_key: nodeKey },
    })
    return asRecord(res.data().queries)
  }
  /** Answers every query handed out: labels in `matching` return a row, everything else none. */
  const answer = async (
    nodeKey: string,
    queries: Record<string, unknown>,
    matching: readonly string[] = [],
    failing: readonly string[] = [],
  ) => {
    const res = await t.request('POST', '/api/osquery/distributed/write', {
      body: {
        node_key: nodeKey,
        queries: Object.fromEntries(
          Object.keys(queries).map((name) => [name, matching.includes(name) ? [{ '1': '1' }] : []]),
        ),
        statuses: Object.fromEntries(failing.map((name) => [name, 1])),
      },
    })
    expect(res.statusCode).toBe(200)
  }
  const labelHosts = async (id: number) => {
    const res = await t.request('GET', `${FLEET_API}/labels/${id}/hosts`, { token: admin })
    return (res.data().hosts as { hostname: string }[]).map((h) => h.hostname)
  }

  // Each test starts from its own server with an observer and two enrolled hosts.
  beforeEach(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    observer = (await t.createUser(admin, { email: 'lobs@example.com', globalRole: 'observer' }))
      .token
    await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: SECRET }] } },
    })
    ubuntuKey = String(
      (
        await t.request('POST', '/api/osquery/enroll', {
          body: fixtureBlock('ubuntu_22.04', 'enroll', {
            uuid: 'L-1',
            hostname: 'ubuntu-1',
            enrollSecret: SECRET,
          }),
        })
      ).data().node_key,
    )
    windowsKey = String(
      (
        await t.request('POST', '/api/osquery/enroll', {
          body: fixtureBlock('windows_11', 'enroll', {
            uuid: 'L-2',
            hostname: 'windows-1',
            enrollSecret: SECRET,
          }),
        })
      ).data().node_key,
    )
  })
  afterEach(() => t.close())

  it("has Fleet's built-in labels, sent to the hosts of their platform", async () => {
    const res = await t.request('GET', `${FLEET_API}/labels`, { token: observer })
    expect(res.statusCode).toBe(200)
    // Other tests add labels of their own; the built-in ones are those of type builtin.
    const listed = res.data().labels as { id: number; name: string; label_type: string }[]
    const labels = listed.filter((l) => l.label_type === 'builtin')
    expect(labels.map((l) => l.name)).toEqual([
      'All Hosts',
      'macOS',
      'Ubuntu Linux',
      'CentOS Linux',
      'MS Windows',
      'Red Hat Linux',
      'All Linux',
      'chrome',
    ])
    // Fleet's ids: osquery-perf templates and other tools answer fleet_label_query_6..12.
    expect(labels.map((l) => l.id)).toEqual([6, 7, 8, 9, 10, 11, 12, 15])
    const id = (name: string) => labels.find((l) => l.name === name)?.id
    const ubuntuQueries = await read(ubuntuKey)
    expect(Object.keys(ubuntuQueries)).toEqual(
      expect.arrayContaining([
        `fleet_label_query_${id('All Hosts')}`,
        `fleet_label_query_${id('Ubuntu Linux')}`,
        `fleet_label_query_${id('All Linux')}`,
      ]),
    )
    expect(Object.keys(ubuntuQueries)).not.toContain(`fleet_label_query_${id('MS Windows')}`)
    await answer(ubuntuKey, ubuntuQueries, [
      `fleet_label_query_${id('All Hosts')}`,
      `fleet_label_query_${id('Ubuntu Linux')}`,
      `fleet_label_query_${id('All Linux')}`,
    ])
    const windowsQueries = await read(windowsKey)
    expect(Object.keys(windowsQueries)).toContain(`fleet_label_query_${id('MS Windows')}`)
    await answer(windowsKey, windowsQueries, [
      `fleet_label_query_${id('All Hosts')}`,
      `fleet_label_query_${id('MS Windows')}`,
    ])
    expect(await labelHosts(id('All Hosts') ?? 0)).toEqual(['ubuntu-1', 'windows-1'])
    expect(await labelHosts(id('Ubuntu Linux') ?? 0)).toEqual(['ubuntu-1'])
    const hosts = await t.request('GET', `${FLEET_API}/hosts?label_id=${id('MS Windows')}`, {
      token: admin,
    })
    expect((hosts.data().hosts as { hostname: string }[]).map((h) => h.hostname)).toEqual([
      'windows-1',
    ])
    const deleted = await t.request('DELETE', `${FLEET_API}/labels/id/${id('macOS')}`, {
      token: admin,
    })
    expect(deleted.statusCode).toBe(422)
  })

  it('sends a new dynamic label on the next check-in, and membership follows the results', async () => {
    // The host has answered everything it was asked (no built-in label matching).
    await answer(ubuntuKey, await read(ubuntuKey))
    t.clock.advance(1000)
    const created = await t.request('POST', `${FLEET_API}/labels`, {
      token: admin,
      body: {
        name: 'Has sshd',
        query: "SELECT 1 FROM processes WHERE name = 'sshd'",
        platform: '',
      },
    })
    expect(created.statusCode).toBe(200)
    const label = asRecord(created.data().label)
    expect(Number(label.id)).toBeGreaterThan(15)
    expect(label).toMatchObject({
      name: 'Has sshd',
      label_type: 'regular',
      label_membership_type: 'dynamic',
      host_count: 0,
      host_ids: null,
    })
    const name = `fleet_label_query_${String(label.id)}`
    const queries = await read(ubuntuKey)
    expect(queries).toEqual({ [name]: "SELECT 1 FROM processes WHERE name = 'sshd'" })
    await answer(ubuntuKey, queries, [name])
    expect(await labelHosts(Number(label.id))).toEqual(['ubuntu-1'])
    expect(
      asRecord(
        (await t.request('GET', `${FLEET_API}/labels/${String(label.id)}`, { token: admin })).data()
          .label,
      ).host_count,
    ).toBe(1)
    // Nothing is due now, so a result for the label is not taken.
    await answer(ubuntuKey, { [name]: '' }, [])
    expect(await labelHosts(Number(label.id))).toEqual(['ubuntu-1'])
    // At the next label refresh a failing query keeps the membership and an empty result ends it.
    t.clock.advance(2 * 3_600_000)
    const failingRound = await read(ubuntuKey)
    await answer(ubuntuKey, failingRound, [], [name])
    expect(await labelHosts(Number(label.id))).toEqual(['ubuntu-1'])
    t.clock.advance(2 * 3_600_000)
    await answer(ubuntuKey, await read(ubuntuKey), [])
    expect(await labelHosts(Number(label.id))).toEqual([])
  })

  it("keeps manual labels' members as given and never sends them to hosts", async () => {
    const bad = await t.request('POST', `${FLEET_API}/labels`, {
      token: admin,
      body: { name: 'VIP', label_membership_type: 'manual', hosts: ['nope'] },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ errors: [{ name: 'hosts' }] })
    const withQuery = await t.request('POST', `${FLEET_API}/labels`, {
      token: admin,
      body: { name: 'VIP', label_membership_type: 'manual', query: 'SELECT 1' },
    })
    expect(withQuery.statusCode).toBe(400)
    const created = await t.request('POST', `${FLEET_API}/labels`, {
      token: admin,
      body: { name: 'VIP', label_membership_type: 'manual', hosts: ['windows-1'] },
    })
    expect(created.statusCode).toBe(200)
    const label = asRecord(created.data().label)
    expect(await labelHosts(Number(label.id))).toEqual(['windows-1'])
    expect(Object.keys(await read(windowsKey))).not.toContain(
      `fleet_label_query_${String(label.id)}`,
    )
    const hostId = asRecord(
      (await t.request('GET', `${FLEET_API}/hosts/identifier/ubuntu-1`, { token: admin })).data()
        .host,
    ).id
    const patched = await t.request('PATCH', `${FLEET_API}/labels/${String(label.id)}`, {
      token: admin,
      body: { host_ids: [hostId] },
    })
    expect(asRecord(patched.data().label).host_ids).toEqual([hostId])
  })

  it('lets observers read labels but not change them', async () => {
    expect(
      (
        await t.request('POST', `${FLEET_API}/labels`, {
          token: observer,
          body: { name: 'Nope', query: 'SELECT 1' },
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (
        await t.request('POST', `${FLEET_API}/spec/labels`, {
          token: observer,
          body: { specs: [{ name: 'Nope', query: 'SELECT 1' }] },
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (await t.request('DELETE', `${FLEET_API}/labels/VIP`, { token: observer })).statusCode,
    ).toBe(403)
    expect(
      (await t.request('GET', `${FLEET_API}/labels/summary`, { token: observer })).statusCode,
    ).toBe(200)
  })

  it('applies label specs (create and update by name) and lists them as specs', async () => {
    const res = await t.request('POST', `${FLEET_API}/spec/labels`, {
      token: admin,
      body: {
        specs: [
          {
            name: 'Has sshd',
            query: "SELECT 1 FROM processes WHERE name = 'sshd' AND uid = 0",
            description: 'root sshd',
          },
          { name: 'Desks', label_membership_type: 'manual', hosts: ['ubuntu-1'] },
        ],
      },
    })
    expect(res.statusCode).toBe(200)
    const specs = await t.request('GET', `${FLEET_API}/spec/labels`, { token: admin })
    const byName = new Map((specs.data().specs as { name: string }[]).map((s) => [s.name, s]))
    expect(byName.get('Has sshd')).toMatchObject({
      query: "SELECT 1 FROM processes WHERE name = 'sshd' AND uid = 0",
      description: 'root sshd',
      label_type: 'regular',
    })
    expect(byName.get('Desks')).toMatchObject({
      label_membership_type: 'manual',
      hosts: ['ubuntu-1'],
    })
    const builtin = await t.request('POST', `${FLEET_API}/spec/labels`, {
      token: admin,
      body: { specs: [{ name: 'All Hosts', query: 'SELECT 0' }] },
    })
    expect(builtin.statusCode).toBe(422)
    const dup = await t.request('POST', `${FLEET_API}/labels`, {
      token: admin,
      body: { name: 'Desks', label_membership_type: 'manual' },
    })
    expect(dup.statusCode).toBe(409)
  })

  it('deletes a label by name; hosts stop receiving its query', async () => {
    t.clock.advance(1000)
    const label = asRecord(
      (
        await t.request('POST', `${FLEET_API}/labels`, {
          token: admin,
          body: { name: 'Temporary', query: 'SELECT 1 FROM time' },
        })
      ).data().label,
    )
    expect(Object.keys(await read(ubuntuKey))).toContain(`fleet_label_query_${String(label.id)}`)
    expect(
      (await t.request('DELETE', `${FLEET_API}/labels/Temporary`, { token: admin })).statusCode,
    ).toBe(200)
    t.clock.advance(2 * 3_600_000)
    expect(Object.keys(await read(ubuntuKey))).not.toContain(
      `fleet_label_query_${String(label.id)}`,
    )
    const activities = await t.request(
      'GET',
      `${FLEET_API}/activities?activity_type=deleted_label`,
      {
        token: admin,
      },
    )
    expect(activities.data().activities).toMatchObject([{ details: { label_name: 'Temporary' } }])
  })
})
