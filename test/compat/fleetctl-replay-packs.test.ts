import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodedByGo, type GoRequest } from './go-client.js'
import { asList, asObject, startReplayServer, type ReplayServer } from './replay-server.js'

// Real fleetctl's requests for 2017 packs (`apply` of kind: pack, `get packs [NAME]
// [--with-queries]`, `delete` of a pack spec), replayed against a real `fleet serve`. The Go
// source of each request is named above it (fleetdm/fleet server/service/client_packs.go,
// cmd/fleetctl/get.go getPacksCommand, delete.go). Other kinds are in fleetctl-replay*.test.ts.

let rs: ReplayServer
const send = (method: string, path: string, req: Omit<GoRequest, 'token'> = {}) =>
  rs.go.send(method, path, { ...req, token: rs.token })

/** fleet.QuerySpec as ApplyQueries marshals it (every field, zero values included). */
const querySpec = (name: string, query: string) => ({
  name,
  description: '',
  query,
  team: '',
  interval: 0,
  observer_can_run: false,
  platform: '',
  min_osquery_version: '',
  automations_enabled: false,
  logging: '',
  discard_data: false,
  labels_include_any: null,
})

describe('real fleetctl request shapes: packs', () => {
  beforeAll(async () => {
    rs = await startReplayServer('Replay packs org')
    decodedByGo(
      await send('POST', '/api/latest/fleet/spec/queries', {
        body: {
          specs: [
            querySpec('Replay uptime', 'SELECT * FROM uptime'),
            querySpec('Replay users', 'SELECT * FROM users'),
          ],
        },
      }),
    )
  })
  afterAll(async () => {
    await rs?.stop()
  })

  it('apply and get packs (client_packs.go: ApplyPacks, GetPacksSpecs, GetPackSpec)', async () => {
    // ApplyPacks: POST /api/latest/fleet/spec/packs {specs: [fleet.PackSpec]}. Go leaves out
    // `id`, `description` and `platform` when empty (omitempty) but always sends `disabled` and
    // `targets` (a struct: unset lists are null); each PackSpecQuery always has query, name,
    // description and interval, the pointer options only when the YAML sets them.
    decodedByGo(
      await send('POST', '/api/latest/fleet/spec/packs', {
        body: {
          specs: [
            {
              name: 'Replay pack',
              disabled: false,
              targets: { labels: ['All Hosts'], teams: null },
              queries: [
                {
                  query: 'Replay uptime',
                  name: 'uptime',
                  description: 'how long',
                  interval: 60,
                  snapshot: true,
                },
                { query: 'Replay users', name: '', description: '', interval: 3600, shard: 25 },
              ],
            },
            {
              name: 'Replay off',
              description: 'disabled pack',
              platform: 'darwin',
              disabled: true,
              targets: { labels: null, teams: null },
            },
          ],
        },
      }),
    )

    // `get packs`: GetPacksSpecs = GET /api/latest/fleet/spec/packs into {specs: []*PackSpec}.
    const all = asList(decodedByGo(await send('GET', '/api/latest/fleet/spec/packs')).specs)
    expect(all.map((p) => p.name)).toEqual(['Replay off', 'Replay pack'])
    expect(all[0]).toMatchObject({
      description: 'disabled pack',
      platform: 'darwin',
      disabled: true,
      targets: { labels: [], teams: [] },
      queries: [],
    })

    // `get pack NAME`: GetPackSpec = GET /api/latest/fleet/spec/packs/{PathEscape(name)} → .specs
    const one = asObject(
      decodedByGo(
        await send('GET', `/api/latest/fleet/spec/packs/${encodeURIComponent('Replay pack')}`),
      ).specs,
    )
    expect(one).toMatchObject({
      id: expect.any(Number),
      name: 'Replay pack',
      disabled: false,
      targets: { labels: ['All Hosts'], teams: [] },
      queries: [
        {
          query: 'Replay uptime',
          name: 'uptime',
          description: 'how long',
          interval: 60,
          snapshot: true,
        },
        { query: 'Replay users', name: 'Replay users', description: '', interval: 3600, shard: 25 },
      ],
    })

    // `get packs --with-queries`: then GetQueries(nil, nil) = GET /api/latest/fleet/queries, and
    // prints the ones the packs name.
    const queries = asList(decodedByGo(await send('GET', '/api/latest/fleet/queries')).queries)
    expect(queries.map((q) => q.name)).toEqual(
      expect.arrayContaining(['Replay uptime', 'Replay users']),
    )

    // fleetctl reports a missing pack from the 404 (GetPackSpec's error).
    const missing = await send('GET', '/api/latest/fleet/spec/packs/Nope')
    expect(missing.status).toBe(404)
  })

  it('delete a pack spec (client_packs.go: DeletePack)', async () => {
    decodedByGo(
      await send('POST', '/api/latest/fleet/spec/packs', {
        body: {
          specs: [
            { name: 'Replay doomed', disabled: false, targets: { labels: null, teams: null } },
          ],
        },
      }),
    )
    // DeletePack: DELETE /api/latest/fleet/packs/{PathEscape(name)}, no body.
    const path = `/api/latest/fleet/packs/${encodeURIComponent('Replay doomed')}`
    expect(decodedByGo(await send('DELETE', path))).toEqual({})
    // delete.go prints "pack doesn't exist" on a 404 for the next run.
    expect((await send('DELETE', path)).status).toBe(404)
  })
})
