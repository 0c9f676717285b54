import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { policyKit, type EnrolledHost } from '../../test-utils/policy-kit.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

const MINUTE = 60_000

describe('check-in refresh schedule', () => {
  let t: TestServer
  let kit: ReturnType<typeof policyKit>
  let admin: string
  let host: EnrolledHost

  beforeAll(async () => {
    t = await startTestServer('sqlite')
    kit = policyKit(t)
    admin = await t.setupAdmin()
    await kit.addSecret(admin, 'schedule-secret')
  })
  afterAll(() => t.close())

  it("answering a newly added policy does not postpone the host's next full refresh", async () => {
    const first = await kit.createPolicy(admin, { name: 'First', query: 'SELECT 1;' })
    host = await kit.enroll('ubuntu_22.04', 'SCHEDULE-1', 'schedule-secret')
    // The full refresh (policy_update_interval: 1 h, jitter up to 10 %).
    expect(await kit.checkIn(host, { [first]: 'pass' })).toEqual([first])
    expect(await kit.checkIn(host)).toEqual([])

    t.clock.advance(30 * MINUTE)
    const added = await kit.createPolicy(admin, { name: 'Added', query: 'SELECT 2;' })
    expect(await kit.checkIn(host, { [added]: 'pass' })).toEqual([added])
    expect(await kit.checkIn(host)).toEqual([])

    // 1 h 7 min after the full refresh (past any jitter), 37 min after the added one was answered:
    // the whole set is due again, on the schedule of the last full refresh.
    t.clock.advance(37 * MINUTE)
    expect(await kit.checkIn(host, { [first]: 'pass', [added]: 'pass' })).toEqual([first, added])
    expect(await kit.checkIn(host)).toEqual([])
  })
})
