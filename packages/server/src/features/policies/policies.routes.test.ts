import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { ADMIN, asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { policyKit } from '../../test-utils/policy-kit.js'

describe.each(DIALECTS)('policies REST API [%s]', (dialect) => {
  let t: TestServer
  let kit: ReturnType<typeof policyKit>
  let admin: string
  let teamA: number
  let teamB: number

  const get = (path: string, token = admin) => t.request('GET', `${FLEET_API}${path}`, { token })
  const post = (path: string, body: unknown, token = admin) =>
    t.request('POST', `${FLEET_API}${path}`, { token, body })
  const patch = (path: string, body: unknown, token = admin) =>
    t.request('PATCH', `${FLEET_API}${path}`, { token, body })
  const names = (list: unknown) => (list as { name: string }[]).map((p) => p.name)
  const activities = async (type: string) =>
    (await get(`/activities?activity_type=${type}&order_direction=asc&order_key=id`)).data()
      .activities as { details: Record<string, unknown> }[]

  const createGatekeeper = () =>
    post('/policies', {
      name: 'Gatekeeper enabled',
      query: 'SELECT 1 FROM gatekeeper WHERE assessments_enabled = 1;',
      description: 'Checks Gatekeeper',
      resolution: 'Turn it on',
      platform: ' darwin , linux,darwin',
      critical: true,
    })
  /** The three global policies, in this order: Gatekeeper enabled, Disk encrypted, Firewall on. */
  const createGlobalPolicies = async () => {
    await createGatekeeper()
    await kit.createPolicy(admin, {
      name: 'Disk encrypted',
      query: 'SELECT 1 FROM disk_encryption;',
    })
    await kit.createPolicy(admin, { name: 'Firewall on', query: 'SELECT 1 FROM alf;' })
  }

  // Each test starts from its own server with two teams and no policy.
  beforeEach(async () => {
    t = await startTestServer(dialect)
    kit = policyKit(t)
    admin = await t.setupAdmin()
    teamA = await kit.createTeam(admin, 'Alpha', 'alpha-secret')
    teamB = await kit.createTeam(admin, 'Bravo', 'bravo-secret')
  })
  afterEach(() => t.close())

  it("creates a global policy with Fleet's shape, normalizes the platform, and records it", async () => {
    const res = await createGatekeeper()
    expect(res.statusCode, res.body).toBe(200)
    const policy = asRecord(res.data().policy)
    expect(policy).toMatchObject({
      name: 'Gatekeeper enabled',
      query: 'SELECT 1 FROM gatekeeper WHERE assessments_enabled = 1;',
      description: 'Checks Gatekeeper',
      resolution: 'Turn it on',
      platform: 'darwin,linux',
      critical: true,
      team_id: null,
      author_name: ADMIN.name,
      author_email: ADMIN.email,
      passing_host_count: 0,
      failing_host_count: 0,
      host_count_updated_at: null,
      calendar_events_enabled: false,
    })
    expect(policy.author_id).toBeTypeOf('number')
    expect(await activities('created_policy')).toMatchObject([
      {
        details: {
          policy_id: policy.id,
          policy_name: 'Gatekeeper enabled',
          team_id: null,
          team_name: null,
        },
      },
    ])
  })

  it('lists, searches, pages, counts and gets on the current and v1 (/global) paths', async () => {
    await createGatekeeper()
    await post('/policies', { name: 'Disk encrypted', query: 'SELECT 1 FROM disk_encryption;' })
    await post('/global/policies', { name: 'Firewall on', query: 'SELECT 1 FROM alf;' })
    const all = await get('/policies')
    expect(all.statusCode).toBe(200)
    expect(names(all.data().policies)).toEqual([
      'Gatekeeper enabled',
      'Disk encrypted',
      'Firewall on',
    ])
    expect((await get('/global/policies')).data()).toEqual(all.data())
    expect(names((await get('/policies?query=DISK')).data().policies)).toEqual(['Disk encrypted'])
    expect(names((await get('/policies?page=1&per_page=2')).data().policies)).toEqual([
      'Firewall on',
    ])
    expect(
      names((await get('/policies?order_key=name&order_direction=desc')).data().policies),
    ).toEqual(['Gatekeeper enabled', 'Firewall on', 'Disk encrypted'])
    expect((await get('/policies/count')).json()).toEqual({ count: 3 })
    expect((await get('/policies/count?query=fire')).json()).toEqual({ count: 1 })
    const first = (all.data().policies as { id: number }[])[0]?.id
    expect(asRecord((await get(`/policies/${first}`)).data().policy).name).toBe(
      'Gatekeeper enabled',
    )
    expect(asRecord((await get(`/global/policies/${first}`)).data().policy).name).toBe(
      'Gatekeeper enabled',
    )
    const missing = await get('/policies/99999')
    expect(missing.statusCode).toBe(404)
    expect(missing.data().code).toBe('POLICY_NOT_FOUND')
  })

  it('refuses empty or oversized SQL, empty names and unknown platforms (400 naming the field)', async () => {
    const field = async (body: unknown, path = '/policies') => {
      const res = await post(path, body)
      expect(res.statusCode, res.body).toBe(400)
      return (res.data().errors as { name: string }[]).map((e) => e.name)
    }
    await kit.createPolicy(admin, { name: 'Existing', query: 'SELECT 1;' })
    expect(await field({ name: 'Empty', query: '   ' })).toEqual(['query'])
    expect(await field({ name: 'Huge', query: `SELECT '${'x'.repeat(70_000)}';` })).toEqual([
      'query',
    ])
    expect(await field({ name: 'Nameless' })).toEqual(['query'])
    expect(await field({ name: ' ', query: 'SELECT 1;' })).toEqual(['name'])
    expect(await field({ name: 'Mac', query: 'SELECT 1;', platform: 'macos' })).toEqual([
      'platform',
    ])
    expect(await field({ name: 'Mac', query: 'SELECT 1;', critical: 'yes' })).toEqual(['critical'])
    expect(
      await field(
        { name: 'Team', query: 'SELECT 1;', platform: 'ios' },
        `/teams/${teamA}/policies`,
      ),
    ).toEqual(['platform'])
    const id = (asRecord((await get('/policies')).data()).policies as { id: number }[])[0]?.id
    const bad = await patch(`/policies/${id}`, { query: '', platform: 'beos' })
    expect(bad.statusCode).toBe(400)
    expect((bad.data().errors as { name: string }[]).map((e) => e.name).sort()).toEqual([
      'platform',
      'query',
    ])
    expect((await post('/policies/delete', { ids: [] })).statusCode).toBe(400)
    expect((await get('/policies?order_key=nope')).statusCode).toBe(400)
    expect((await get('/policies?per_page=0')).statusCode).toBe(400)
    expect((await get('/policies/abc')).statusCode).toBe(400)
    expect((await get('/teams/x/policies')).statusCode).toBe(400)
  })

  it('refuses a duplicate name in one scope regardless of case (409), and allows it in another', async () => {
    await createGlobalPolicies()
    const dup = await post('/policies', { name: 'disk ENCRYPTED', query: 'SELECT 1;' })
    expect(dup.statusCode).toBe(409)
    expect(dup.data()).toMatchObject({ code: 'POLICY_NAME_EXISTS', errors: [{ name: 'name' }] })
    const inTeam = await post(`/teams/${teamA}/policies`, {
      name: 'Disk encrypted',
      query: 'SELECT 1;',
    })
    expect(inTeam.statusCode, inTeam.body).toBe(200)
    const other = (await get('/policies')).data().policies as { id: number; name: string }[]
    const firewall = other.find((p) => p.name === 'Firewall on')
    const rename = await patch(`/policies/${firewall?.id}`, { name: 'Disk Encrypted' })
    expect(rename.statusCode).toBe(409)
  })

  it('modifies and deletes global policies, leaving team policies alone, with activities', async () => {
    const id = await kit.createPolicy(admin, { name: 'Temporary', query: 'SELECT 1;' })
    const changed = await patch(`/policies/${id}`, {
      name: 'Temporary 2',
      resolution: 'Do the thing',
      critical: true,
    })
    expect(changed.statusCode, changed.body).toBe(200)
    expect(asRecord(changed.data().policy)).toMatchObject({
      name: 'Temporary 2',
      query: 'SELECT 1;',
      resolution: 'Do the thing',
      critical: true,
    })
    const v1 = await patch(`/global/policies/${id}`, { description: 'via v1' })
    expect(asRecord(v1.data().policy).description).toBe('via v1')
    expect((await activities('edited_policy')).at(-1)).toMatchObject({
      details: { policy_id: id, policy_name: 'Temporary 2' },
    })
    const teamPolicy = await kit.createPolicy(
      admin,
      { name: 'Team only', query: 'SELECT 1;' },
      teamA,
    )
    expect((await patch(`/policies/${teamPolicy}`, { name: 'x' })).statusCode).toBe(404)
    const deleted = await post('/policies/delete', { ids: [id, teamPolicy, 99_999] })
    expect(deleted.json()).toEqual({ deleted: 1 })
    expect((await get(`/policies/${id}`)).statusCode).toBe(404)
    expect((await get(`/policies/${teamPolicy}`)).statusCode).toBe(200)
    expect((await activities('deleted_policy')).at(-1)).toMatchObject({
      details: { policy_id: id, policy_name: 'Temporary 2', team_id: null },
    })
    const viaV1 = await kit.createPolicy(admin, { name: 'Gone via v1', query: 'SELECT 1;' })
    expect((await post('/global/policies/delete', { ids: [viaV1] })).json()).toEqual({
      deleted: 1,
    })
  })

  it("serves a team's policies with the inherited global ones, apart or merged", async () => {
    await createGlobalPolicies()
    await kit.createPolicy(admin, { name: 'Disk encrypted', query: 'SELECT 1;' }, teamA)
    await kit.createPolicy(admin, { name: 'Team only', query: 'SELECT 1;' }, teamA)
    const list = await get(`/teams/${teamA}/policies`)
    expect(list.statusCode, list.body).toBe(200)
    expect(names(list.data().policies)).toEqual(['Disk encrypted', 'Team only'])
    expect(names(list.data().inherited_policies)).toEqual([
      'Gatekeeper enabled',
      'Disk encrypted',
      'Firewall on',
    ])
    const merged = await get(`/teams/${teamA}/policies?merge_inherited=true`)
    expect(names(merged.data().policies)).toHaveLength(5)
    expect(merged.data().inherited_policies).toBeUndefined()
    expect(names((await get(`/teams/${teamA}/policies?query=team`)).data().policies)).toEqual([
      'Team only',
    ])
    expect((await get(`/teams/${teamA}/policies/count`)).json()).toEqual({ count: 2 })
    expect((await get(`/teams/${teamA}/policies/count?merge_inherited=true`)).json()).toEqual({
      count: 5,
    })
    const [teamPolicy] = list.data().policies as { id: number; team_id: number }[]
    expect(teamPolicy?.team_id).toBe(teamA)
    const one = await get(`/teams/${teamA}/policies/${teamPolicy?.id}`)
    expect(asRecord(one.data().policy).name).toBe('Disk encrypted')
    expect((await get(`/teams/${teamB}/policies/${teamPolicy?.id}`)).statusCode).toBe(404)
    const unknownTeam = await get('/teams/99999/policies')
    expect(unknownTeam.statusCode).toBe(404)
    expect(unknownTeam.data().code).toBe('TEAM_NOT_FOUND')
    expect(
      (await post('/teams/99999/policies', { name: 'x', query: 'SELECT 1;' })).statusCode,
    ).toBe(404)
  })

  it('modifies and deletes team policies under the team path only, with activities', async () => {
    const id = await kit.createPolicy(admin, { name: 'Bravo check', query: 'SELECT 1;' }, teamB)
    expect((await activities('created_policy')).at(-1)).toMatchObject({
      details: { policy_id: id, team_id: teamB, team_name: 'Bravo' },
    })
    const changed = await patch(`/teams/${teamB}/policies/${id}`, { platform: 'windows' })
    expect(asRecord(changed.data().policy)).toMatchObject({ platform: 'windows', team_id: teamB })
    expect((await patch(`/teams/${teamA}/policies/${id}`, { name: 'x' })).statusCode).toBe(404)
    expect((await post(`/teams/${teamA}/policies/delete`, { ids: [id] })).json()).toEqual({
      deleted: 0,
    })
    expect((await post(`/teams/${teamB}/policies/delete`, { ids: [id] })).json()).toEqual({
      deleted: 1,
    })
    expect((await activities('deleted_policy')).at(-1)).toMatchObject({
      details: { policy_id: id, team_id: teamB, team_name: 'Bravo' },
    })
  })

  it('applies specs by team name, creating or updating (fleetctl apply)', async () => {
    const specs = [
      { name: 'Spec global', query: 'SELECT 1 FROM a;', platform: 'linux' },
      { name: 'Spec team', query: 'SELECT 1 FROM b;', team: 'alpha', critical: true },
    ]
    const res = await post('/spec/policies', { specs })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({})
    const again = await post('/spec/policies', {
      specs: [{ name: 'Spec global', query: 'SELECT 2 FROM a;', resolution: 'Fix it' }],
    })
    expect(again.statusCode).toBe(200)
    const global = (await get('/policies?query=spec')).data().policies
    expect(global).toMatchObject([
      { name: 'Spec global', query: 'SELECT 2 FROM a;', resolution: 'Fix it', platform: '' },
    ])
    expect((await get(`/teams/${teamA}/policies?query=spec`)).data().policies).toMatchObject([
      { name: 'Spec team', team_id: teamA, critical: true },
    ])
    expect((await activities('applied_spec_policy')).at(-1)).toMatchObject({
      details: { policies: [{ name: 'Spec global' }] },
    })
    const unknown = await post('/spec/policies', {
      specs: [{ name: 'x', query: 'SELECT 1;', team: 'Nope' }],
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.data().errors).toMatchObject([{ name: 'specs.0.team' }])
    const bad = await post('/spec/policies', { specs: [{ name: 'x', query: '' }] })
    expect(bad.statusCode).toBe(400)
    expect(bad.data().errors).toMatchObject([{ name: 'specs.0.query' }])
  })
})
