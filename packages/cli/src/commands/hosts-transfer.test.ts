import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeFleet, type FakeFleet } from '../test-utils/fake-fleet.js'
import { hostFixture, teamFixture } from '../test-utils/fixtures.js'
import { createHarness, type Harness } from '../test-utils/harness.js'

const T0 = '2024-01-01T00:00:00Z'
const LABEL = {
  id: 4,
  created_at: T0,
  updated_at: T0,
  name: 'Laptops',
  description: '',
  query: 'SELECT 1',
  platform: '',
  label_type: 'regular',
  label_membership_type: 'dynamic',
  host_count: 1,
  display_text: 'Laptops',
  count: 1,
  host_ids: null,
}

let h: Harness
let fleet: FakeFleet
beforeEach(async () => {
  h = await createHarness()
  fleet = await startFakeFleet({
    [`GET ${FLEET_API}/teams`]: () => ({
      body: { teams: [teamFixture({ id: 7, name: 'Servers' })] },
    }),
    [`GET ${FLEET_API}/hosts/identifier/web-1`]: () => ({ body: { host: hostFixture({ id: 2 }) } }),
    [`GET ${FLEET_API}/hosts/identifier/web-2`]: () => ({ body: { host: hostFixture({ id: 3 }) } }),
    [`GET ${FLEET_API}/labels`]: () => ({ body: { labels: [LABEL] } }),
    [`POST ${FLEET_API}/hosts/transfer`]: () => ({ body: {} }),
    [`POST ${FLEET_API}/hosts/transfer/filter`]: () => ({ body: {} }),
  })
  await h.login(fleet.url, 'tok')
})
afterEach(async () => {
  await fleet.close()
  await h.cleanup()
})

const posted = () =>
  fleet.requests.filter((r) => r.method === 'POST').map((r) => ({ path: r.path, body: r.body }))

describe('hosts transfer', () => {
  it('moves hosts named by --hosts to the team named by --team', async () => {
    const res = await h.fleetctl([
      'hosts',
      'transfer',
      '--team',
      'Servers',
      '--hosts',
      'web-1,web-2',
    ])
    expect(res).toMatchObject({ code: 0, err: '', out: '' })
    expect(posted()).toEqual([
      { path: `${FLEET_API}/hosts/transfer`, body: { team_id: 7, hosts: [2, 3] } },
    ])
  })

  it("moves hosts matching --label, --status and --search_query; --team '' is no team", async () => {
    const res = await h.fleetctl([
      'hosts',
      'transfer',
      '--team',
      '',
      '--label',
      'Laptops',
      '--status',
      'online',
      '--search_query',
      'web',
    ])
    expect(res.err).toBe('')
    expect(posted()).toEqual([
      {
        path: `${FLEET_API}/hosts/transfer/filter`,
        body: { team_id: null, filters: { label_id: 4, status: 'online', query: 'web' } },
      },
    ])
  })

  it("refuses Fleet's invalid flag combinations, an unknown team and a bad status", async () => {
    const both = await h.fleetctl([
      'hosts',
      'transfer',
      '--team',
      'x',
      '--hosts',
      'a',
      '--label',
      'L',
    ])
    expect(both.err).toBe('Error: --hosts cannot be used along side any other flag\n')
    const none = await h.fleetctl(['hosts', 'transfer', '--team', 'x'])
    expect(none.err).toBe(
      'Error: You need to define either --hosts, or one or more of --label, --status, --search_query\n',
    )
    const team = await h.fleetctl(['hosts', 'transfer', '--team', 'Nope', '--status', 'online'])
    expect(team.err).toBe('Error: team "Nope" not found\n')
    const status = await h.fleetctl(['hosts', 'transfer', '--team', '', '--status', 'asleep'])
    expect(status.err).toMatch(/^Error: invalid --status "asleep" \(online, offline/)
    expect(posted()).toEqual([])
  })
})
