import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeFleet, type FakeFleet } from '../test-utils/fake-fleet.js'
import { createHarness, type Harness } from '../test-utils/harness.js'

const NAMES = 'supported trigger names are carves_expired_blocks, and policy_host_counts'

let h: Harness
let fleet: FakeFleet
beforeEach(async () => {
  h = await createHarness()
  fleet = await startFakeFleet({
    [`POST ${FLEET_API}/trigger`]: (req) => {
      const name = req.query.get('name') ?? ''
      if (name === 'policy_host_counts') {
        return { body: {} }
      }
      if (name === 'carves_expired_blocks') {
        const reason = 'conflicts with current status of carves_expired_blocks schedule'
        return { status: 409, body: { message: 'Conflict', errors: [{ name: 'base', reason }] } }
      }
      const reason = `invalid name; ${NAMES}`
      return {
        status: 404,
        body: { message: 'Resource Not Found', errors: [{ name: 'base', reason }] },
      }
    },
  })
  await h.login(fleet.url, 'tok')
})
afterEach(async () => {
  await fleet.close()
  await h.cleanup()
})

describe('trigger', () => {
  it('asks the server to run the named schedule, by --name or NAME', async () => {
    const res = await h.fleetctl(['trigger', '--name', 'policy_host_counts'])
    expect(res).toMatchObject({
      code: 0,
      err: '',
      out: '[+] Sent request to trigger policy_host_counts schedule\n',
    })
    const env = await h.fleetctl(['trigger'], { env: { NAME: 'policy_host_counts' } })
    expect(env.code).toBe(0)
    expect(fleet.requests.map((r) => `${r.method} ${r.path} ${r.query.get('name')}`)).toEqual([
      `POST ${FLEET_API}/trigger policy_host_counts`,
      `POST ${FLEET_API}/trigger policy_host_counts`,
    ])
  })

  it("reports an unknown or missing name and a run in progress with [!], as Fleet's does", async () => {
    expect(await h.fleetctl(['trigger', '--name', 'nope'])).toMatchObject({
      code: 0,
      out: `[!] Invalid name; ${NAMES}\n`,
    })
    expect(await h.fleetctl(['trigger'])).toMatchObject({
      code: 0,
      out: `[!] Name must be specified; ${NAMES}\n`,
    })
    expect(await h.fleetctl(['trigger', '--name', 'carves_expired_blocks'])).toMatchObject({
      code: 0,
      out: '[!] Conflicts with current status of carves_expired_blocks schedule\n',
    })
  })
})
