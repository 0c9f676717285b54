import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startFakeFleet, type FakeFleet } from '../test-utils/fake-fleet.js'
import { createHarness, type Harness } from '../test-utils/harness.js'

const CARVE = {
  id: 3,
  created_at: '2024-01-01T00:00:00Z',
  host_id: 1,
  name: 'mbp-1-carve',
  block_count: 2,
  block_size: 5,
  carve_size: 10,
  carve_id: 'c-1',
  request_id: 'r-1',
  session_id: 's-1',
  expired: false,
  max_block: 1,
  error: null,
}
const HALF = { ...CARVE, id: 4, max_block: 0 }
const BLOCKS = ['hello', 'world']

let h: Harness
let fleet: FakeFleet
beforeEach(async () => {
  h = await createHarness()
  fleet = await startFakeFleet({
    [`GET ${FLEET_API}/carves`]: (req) => ({
      body: { carves: req.query.get('expired') === 'true' ? [CARVE, HALF] : [CARVE] },
    }),
    [`GET ${FLEET_API}/carves/3`]: () => ({ body: { carve: CARVE } }),
    [`GET ${FLEET_API}/carves/4`]: () => ({ body: { carve: HALF } }),
    [`GET ${FLEET_API}/carves/3/block/0`]: () => ({ body: { data: btoa(BLOCKS[0] ?? '') } }),
    [`GET ${FLEET_API}/carves/3/block/1`]: () => ({ body: { data: btoa(BLOCKS[1] ?? '') } }),
  })
  await h.login(fleet.url, 'tok')
})
afterEach(async () => {
  await fleet.close()
  await h.cleanup()
})

describe('get carves', () => {
  it("prints Fleet's table, expired ones only with --expired", async () => {
    const res = await h.fleetctl(['get', 'carves'])
    expect(res.err).toBe('')
    expect(res.out).toMatch(/\| +3 \| 2024-01-01T00:00:00Z \| r-1 +\| +10 \| 100% +\| no +\|/)
    const all = await h.fleetctl(['get', 'carves', '--expired'])
    expect(all.out).toMatch(/\| +4 \| .* \| 50% +\| no +\|/)
    expect(fleet.requests.map((r) => r.query.get('expired'))).toEqual(['false', 'true'])
  })
})

describe('get carve', () => {
  it('prints the carve as YAML', async () => {
    const res = await h.fleetctl(['get', 'carve', '3'])
    expect(parse(res.out.replace(/^---\n/, ''))).toEqual(CARVE)
  })

  it('prints or writes its contents with --stdout / --outfile', async () => {
    const out = await h.fleetctl(['get', 'carve', '3', '--stdout'])
    expect(out.out).toBe('helloworld')
    const file = join(h.dir, 'carve.tar')
    const written = await h.fleetctl(['get', 'carve', '3', '--outfile', file])
    expect(written).toMatchObject({ code: 0, out: '', err: '' })
    expect(await readFile(file, 'utf8')).toBe('helloworld')
  })

  it('refuses both flags, a bad id, and downloading an incomplete carve', async () => {
    const both = await h.fleetctl(['get', 'carve', '3', '--stdout', '--outfile', 'x'])
    expect(both.err).toBe('Error: --stdout and --outfile must not be specified together\n')
    const bad = await h.fleetctl(['get', 'carve', 'abc'])
    expect(bad.err).toBe('Error: unable to parse carve ID as int: "abc"\n')
    const half = await h.fleetctl(['get', 'carve', '4', '--stdout'])
    expect(half.err).toBe('Error: carve is not complete: 1 of 2 blocks received\n')
  })
})
