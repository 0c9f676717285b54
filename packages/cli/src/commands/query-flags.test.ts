import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeFleet, type FakeFleet } from '../test-utils/fake-fleet.js'
import { createHarness, type Harness } from '../test-utils/harness.js'

let h: Harness
let fleet: FakeFleet
beforeEach(async () => {
  h = await createHarness()
  fleet = await startFakeFleet({
    [`GET ${FLEET_API}/queries`]: () => ({
      body: {
        queries: [],
        count: 0,
        meta: { has_next_results: false, has_previous_results: false },
      },
    }),
  })
  await h.login(fleet.url, 'tok')
})
afterEach(async () => {
  await fleet.close()
  await h.cleanup()
})

describe('query flags as real fleetctl has them', () => {
  it("looks the named query up in --team's queries (0: global)", async () => {
    const res = await h.fleetctl(['query', '--query-name', 'up', '--team', '7', '--hosts', 'a'])
    expect(res.err).toBe('Error: no saved query named "up"\n')
    await h.fleetctl(['report', '--report-name', 'up', '--team', '0', '--hosts', 'a'])
    expect(fleet.requests.map((r) => r.query.get('team_id'))).toEqual(['7', null])
    expect(fleet.requests.map((r) => r.query.get('query'))).toEqual(['up', 'up'])
  })

  it('refuses a --team that is not an id', async () => {
    const res = await h.fleetctl(['query', '--query-name', 'up', '--team', 'x', '--hosts', 'a'])
    expect(res.err).toBe('Error: invalid options: --team: must be a team id (0: global)\n')
  })

  it('reads HOSTS and QUERYNAME from the environment', async () => {
    const none = await h.fleetctl(['query', '--query', 'SELECT 1'])
    expect(none.err).toBe('Error: no targets: give --hosts, --labels or --teams\n')
    const fromEnv = await h.fleetctl(['query'], { env: { QUERYNAME: 'up', HOSTS: 'a' } })
    expect(fromEnv.err).toBe('Error: no saved query named "up"\n')
  })
})
