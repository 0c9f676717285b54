import { eventually } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listen } from '../../platform/pubsub/index.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { policyKit, type EnrolledHost } from '../../test-utils/policy-kit.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import type { AgentHost } from '../hosts/index.js'
import { createPolicyQueryProvider, webhookSettingsSource } from './index.js'

/** Another instance's in-memory copy of the policies follows changes made through this one. */
describe.each(DIALECTS)('policies on check-in, across instances [%s]', (dialect) => {
  let t: TestServer
  let kit: ReturnType<typeof policyKit>
  let admin: string
  let teamB: number
  const p = { all: 0, linux: 0, teamB: 0 }
  let serverB: EnrolledHost

  const membershipOf = async (host: EnrolledHost) =>
    (
      await t.deps.db
        .selectFrom('policy_membership')
        .select('policy_id')
        .where('host_id', '=', host.id)
        .execute()
    ).map((r) => [r.policy_id])

  beforeEach(async () => {
    t = await startTestServer(dialect)
    kit = policyKit(t)
    admin = await t.setupAdmin()
    teamB = await kit.createTeam(admin, 'Servers', 'policies-team-b')
    p.all = await kit.createPolicy(admin, { name: 'osquery runs', query: 'SELECT 1;' })
    p.linux = await kit.createPolicy(admin, { name: 'SSH', query: 'SELECT 1;', platform: 'linux' })
    await kit.createPolicy(admin, { name: 'BitLocker', query: 'SELECT 1;', platform: 'windows' })
    p.teamB = await kit.createPolicy(admin, { name: 'Server fw', query: 'SELECT 1;' }, teamB)
    serverB = await kit.enroll('ubuntu_22.04', 'P-SERVER-B', 'policies-team-b')
  })
  afterEach(() => t.close())

  it('reloads its in-memory policies when another instance changes one', async () => {
    const other = createPolicyQueryProvider(
      t.deps,
      webhookSettingsSource(t.deps.db, { current: () => Promise.reject(new Error('unused')) }),
    )
    const unsubscribe = await listen(t.deps.pubsub, t.deps.log, other.subscriptions)
    const answeredAt = t.clock.ms
    const host: AgentHost = {
      id: serverB.id,
      teamId: teamB,
      platform: 'ubuntu',
      hostname: 'host-P-SERVER-B',
      detailUpdatedAt: 0,
      lastRestartedAt: 0,
      refetchRequested: false,
      distributedInterval: 10,
      configTlsRefresh: 10,
      loggerTlsPeriod: 10,
      publicIp: '',
    }
    expect([...(await other.queries(host, { full: true, since: 0 })).keys()]).toEqual(
      [p.all, p.linux, p.teamB].map(String),
    )
    const before = t.database.queries.length
    await other.queries(host, { full: true, since: 0 })
    expect(t.database.queries.length).toBe(before)
    t.clock.advance(1000)
    const added = await kit.createPolicy(admin, { name: 'Server only', query: 'SELECT 1;' }, teamB)
    await eventually(async () =>
      expect([...(await other.queries(host, { full: false, since: answeredAt })).keys()]).toEqual([
        String(added),
      ]),
    )
    // A result for a policy deleted behind the copy's back (no message yet) is dropped, not an error.
    await t.deps.db.deleteFrom('policies').where('id', '=', added).execute()
    await other.ingest(host, new Map([[String(added), [{ '1': '1' }]]]), t.clock.ms, new Map())
    expect((await membershipOf(serverB)).map(([id]) => id)).not.toContain(added)
    await unsubscribe()
  })
})
