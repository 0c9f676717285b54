import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeFleet, type FakeFleet } from '../test-utils/fake-fleet.js'
import { createHarness, type Harness } from '../test-utils/harness.js'

let h: Harness
let fleet: FakeFleet
beforeEach(async () => {
  h = await createHarness()
  fleet = await startFakeFleet({})
  await h.login(fleet.url, 'tok')
})
afterEach(async () => {
  await fleet.close()
  await h.cleanup()
})

describe('get software', () => {
  it('fails naming the missing server feature, with Fleet flags accepted', async () => {
    for (const args of [
      ['get', 'software'],
      ['get', 'software', '--team', '2', '--versions', '--json'],
    ]) {
      const res = await h.fleetctl(args)
      expect(res.code).toBe(1)
      expect(res.out).toBe('')
      expect(res.err).toContain('no software inventory yet')
      expect(res.err).toContain('/software/titles')
    }
    expect(fleet.requests).toEqual([])
  })
})
