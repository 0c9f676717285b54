import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { policyKit } from '../../test-utils/policy-kit.js'

/** Who may read, write and reset policies: Fleet's permission matrix over the REST API. */
describe.each(DIALECTS)('policies REST API authorization [%s]', (dialect) => {
  let t: TestServer
  let kit: ReturnType<typeof policyKit>
  let admin: string
  let teamA: number
  let teamB: number

  const get = (path: string, token = admin) => t.request('GET', `${FLEET_API}${path}`, { token })
  const names = (list: unknown) => (list as { name: string }[]).map((p) => p.name)

  // Each test starts from its own server with two teams.
  beforeEach(async () => {
    t = await startTestServer(dialect)
    kit = policyKit(t)
    admin = await t.setupAdmin()
    teamA = await kit.createTeam(admin, 'Alpha', 'alpha-secret')
    teamB = await kit.createTeam(admin, 'Bravo', 'bravo-secret')
  })
  afterEach(() => t.close())

  let globalPolicy: number
  let teamAPolicy: number
  let teamBPolicy: number
  const users: Record<string, string> = {}
  const policyBody = (name: string) => ({ name, query: 'SELECT 1;' })

  beforeEach(async () => {
    globalPolicy = await kit.createPolicy(admin, policyBody('Authz global'))
    teamAPolicy = await kit.createPolicy(admin, policyBody('Authz A'), teamA)
    teamBPolicy = await kit.createPolicy(admin, policyBody('Authz B'), teamB)
    const make = async (key: string, user: Parameters<TestServer['createUser']>[1]) => {
      users[key] = (await t.createUser(admin, user)).token
    }
    await make('observer', { email: 'p-obs@example.com', globalRole: 'observer' })
    await make('maintainer', { email: 'p-main@example.com', globalRole: 'maintainer' })
    await make('gitops', { email: 'p-git@example.com', globalRole: 'gitops', apiOnly: true })
    await make('aObserver', {
      email: 'p-aobs@example.com',
      teams: [{ id: teamA, role: 'observer' }],
    })
    await make('aMaintainer', {
      email: 'p-amain@example.com',
      teams: [{ id: teamA, role: 'maintainer' }],
    })
    await make('aAdmin', { email: 'p-aadm@example.com', teams: [{ id: teamA, role: 'admin' }] })
  })

  const status = async (
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    token: string,
    body?: unknown,
  ) => (await t.request(method, `${FLEET_API}${path}`, { token, body })).statusCode

  it('lets global observers read every policy and write none', async () => {
    const token = users.observer ?? ''
    expect(await status('GET', '/policies', token)).toBe(200)
    expect(await status('GET', `/policies/${teamBPolicy}`, token)).toBe(200)
    expect(await status('GET', `/teams/${teamA}/policies`, token)).toBe(200)
    expect(await status('POST', '/policies', token, policyBody('obs'))).toBe(403)
    expect(await status('PATCH', `/policies/${globalPolicy}`, token, { name: 'obs' })).toBe(403)
    expect(await status('POST', '/policies/delete', token, { ids: [globalPolicy] })).toBe(403)
    expect(await status('POST', `/teams/${teamA}/policies`, token, policyBody('obs'))).toBe(403)
    expect(await status('POST', '/spec/policies', token, { specs: [policyBody('obs')] })).toBe(403)
  })

  it('lets global maintainers and gitops write global and team policies', async () => {
    expect(await status('POST', '/policies', users.maintainer ?? '', policyBody('m1'))).toBe(200)
    expect(
      await status('POST', `/teams/${teamB}/policies`, users.maintainer ?? '', policyBody('m2')),
    ).toBe(200)
    expect(await status('POST', '/policies', users.gitops ?? '', policyBody('g1'))).toBe(200)
    expect(
      await status('POST', '/spec/policies', users.gitops ?? '', {
        specs: [{ ...policyBody('g2'), team: 'Bravo' }],
      }),
    ).toBe(200)
    expect(await status('GET', '/policies', users.gitops ?? '')).toBe(200)
  })

  it("keeps team users to their team's policies, plus reading the global ones", async () => {
    const obs = users.aObserver ?? ''
    expect(await status('GET', `/teams/${teamA}/policies`, obs)).toBe(200)
    expect(await status('GET', `/teams/${teamA}/policies/${teamAPolicy}`, obs)).toBe(200)
    expect(await status('GET', '/policies', obs)).toBe(200)
    expect(await status('GET', `/policies/${globalPolicy}`, obs)).toBe(200)
    expect(await status('GET', `/teams/${teamB}/policies`, obs)).toBe(403)
    expect(await status('GET', `/policies/${teamBPolicy}`, obs)).toBe(403)
    expect(await status('GET', `/teams/${teamB}/policies/count`, obs)).toBe(403)
    expect(await status('POST', `/teams/${teamA}/policies`, obs, policyBody('o'))).toBe(403)

    const main = users.aMaintainer ?? ''
    expect(await status('POST', `/teams/${teamA}/policies`, main, policyBody('am'))).toBe(200)
    expect(
      await status('PATCH', `/teams/${teamA}/policies/${teamAPolicy}`, main, { critical: true }),
    ).toBe(200)
    expect(await status('POST', '/policies', main, policyBody('am2'))).toBe(403)
    expect(await status('PATCH', `/policies/${globalPolicy}`, main, { name: 'x' })).toBe(403)
    expect(await status('POST', `/teams/${teamB}/policies`, main, policyBody('am3'))).toBe(403)
    expect(
      await status('POST', `/teams/${teamB}/policies/delete`, main, { ids: [teamBPolicy] }),
    ).toBe(403)
    expect(
      await status('POST', '/spec/policies', main, {
        specs: [{ ...policyBody('am4'), team: 'Bravo' }],
      }),
    ).toBe(403)
    expect(
      await status('POST', '/spec/policies', main, {
        specs: [{ ...policyBody('am5'), team: 'Alpha' }],
      }),
    ).toBe(200)
    const inherited = (await get(`/teams/${teamA}/policies`, main)).data().inherited_policies
    expect(names(inherited)).toContain('Authz global')
  })

  it('lets only admins (global, or of the team) reset policy automations', async () => {
    const reset = (token: string, body: unknown) =>
      status('POST', '/automations/reset', token, body)
    expect(await reset(admin, { policy_ids: [globalPolicy], team_ids: [teamA] })).toBe(200)
    expect(await reset(users.gitops ?? '', { policy_ids: [globalPolicy] })).toBe(200)
    expect(await reset(users.maintainer ?? '', { policy_ids: [globalPolicy] })).toBe(403)
    expect(await reset(users.observer ?? '', { team_ids: [teamA] })).toBe(403)
    expect(await reset(users.aAdmin ?? '', { team_ids: [teamA] })).toBe(200)
    expect(await reset(users.aAdmin ?? '', { policy_ids: [teamAPolicy] })).toBe(200)
    expect(await reset(users.aAdmin ?? '', { team_ids: [teamB] })).toBe(403)
    expect(await reset(users.aAdmin ?? '', { policy_ids: [globalPolicy] })).toBe(403)
    expect(await reset(users.aMaintainer ?? '', { team_ids: [teamA] })).toBe(403)
    expect(await reset(admin, { policy_ids: [99_999] })).toBe(404)
    expect(await reset(admin, { policy_ids: ['x'] })).toBe(400)
  })

  it('refuses requests without a session', async () => {
    const res = await t.request('GET', `${FLEET_API}/policies`)
    expect(res.statusCode).toBe(401)
  })
})
